import { z } from 'zod';

export const SIMULATED_APIS = ['stable_token', 'token', 'getwxacodeunlimit', 'jscode2session'] as const;
export type SimulatedApi = (typeof SIMULATED_APIS)[number];

/**
 * A failure the next `times` calls of `api` meet: each waits `delayMs` (how tests make a
 * timeout), then answers `errcode` or, without one, proceeds normally.
 */
export interface Fault {
  api: SimulatedApi;
  errcode?: number;
  delayMs?: number;
  /** default 1 */
  times?: number;
}

/** A Fault as it arrives over HTTP. */
export const faultSchema = z.strictObject({
  api: z.enum(SIMULATED_APIS),
  errcode: z
    .number()
    .int()
    .refine((errcode) => errcode !== 0, 'errcode 0 is success, not a fault')
    .optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  times: z.number().int().min(1).max(1_000_000).optional(),
});

/** Injected faults in the order they were injected; each is used up call by call. */
export class Faults {
  private queue: { fault: Fault; left: number }[] = [];

  inject(fault: Fault): void {
    this.queue.push({ fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault this call of `api` meets, if any, counting the call against it. */
  take(api: SimulatedApi): Fault | undefined {
    const index = this.queue.findIndex((entry) => entry.fault.api === api);
    if (index < 0) return undefined;
    const entry = this.queue[index];
    entry.left -= 1;
    if (entry.left <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }
}
