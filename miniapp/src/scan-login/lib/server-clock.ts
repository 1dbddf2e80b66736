/** A Date header counts whole seconds: the server stamped its answer somewhere in that second. */
const DATE_RESOLUTION_MS = 1000;

/**
 * How far the server's clock is ahead of the phone's (ms; negative when behind), judged from
 * one answer: its `Date` header, and when the request left and the answer arrived on the
 * phone's clock.
 *
 * The server stamped the answer at a server time in [date, date + 1 s) and, on the phone's
 * clock, between `sentAt` and `receivedAt`; every offset in between fits what was seen. A
 * phone clock within that window is taken as right (0), so a good clock is not "corrected"
 * by the header's rounding; a clock outside it is moved by the least that fits. Without a
 * readable header there is nothing to go on, and the phone's clock is trusted.
 */
export function serverClockOffset(date: string | undefined, sentAt: number, receivedAt: number): number {
  const stamped = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(stamped)) return 0;
  const least = stamped - receivedAt;
  const most = stamped + DATE_RESOLUTION_MS - sentAt;
  if (least > 0) return least;
  if (most < 0) return most;
  return 0;
}
