import { ConfirmFlow, FlowState } from './confirm-flow';
import type { ConfirmServices } from './confirm-services';
import { ConfirmView, confirmView } from './confirm-view';
import { msUntilNextSecond, secondsLeft } from './countdown';
import type { Language } from './language';
import { LoginSource, loginSourceFor } from './login-source';

export interface ScreenDeps {
  services: Pick<ConfirmServices, 'api' | 'login' | 'scanTokens' | 'simulatorOnly'>;
  /** The decoded scene; null when the page was opened without one. */
  ticketId: string | null;
  launchScene?: number;
  language: Language;
}

/**
 * The confirm page without its markup: runs the flow (confirm-flow.ts), counts down to
 * the ticket's expiry and says "expired" the moment it comes, remembers what the page
 * learnt along the way (a simulated WeChat, where the login code comes from), and hands
 * every change to `onView` as a ConfirmView. The Taro page and the native page are each
 * this plus a template.
 */
export class ConfirmScreen {
  private readonly flow: ConfirmFlow;
  private state: FlowState = { step: 'scanning' };
  private simulated = false;
  private source: LoginSource | undefined;
  private deadline: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ScreenDeps,
    private readonly onView: (view: ConfirmView) => void,
  ) {
    const { api, login, scanTokens, simulatorOnly } = deps.services;
    if (simulatorOnly) this.source = 'simulator';
    this.flow = new ConfirmFlow({ api, login, scanTokens, ticketId: deps.ticketId, launchScene: deps.launchScene }, (state) =>
      this.changed(state),
    );
  }

  get view(): ConfirmView {
    const deadline = 'scan' in this.state ? this.deadline : undefined;
    return confirmView({
      state: this.state,
      language: this.deps.language,
      secondsLeft: deadline === undefined ? undefined : secondsLeft(deadline, Date.now()),
      launchScene: this.deps.launchScene,
      simulated: this.simulated,
      source: this.source,
    });
  }

  /** Posts the scan; once per screen. */
  start(): Promise<void> {
    return this.flow.start();
  }

  confirm(nickname: string): Promise<void> {
    return this.flow.confirm(nickname);
  }

  cancel(): Promise<void> {
    return this.flow.cancel();
  }

  retry(): Promise<void> {
    return this.flow.retry();
  }

  /** The page went away: no more timers, no more views. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private changed(state: FlowState): void {
    this.state = state;
    if ('scan' in state) {
      if (state.scan.wechat === 'simulator') this.simulated = true;
      this.source ??= loginSourceFor(state.scan.wechat, false);
      if (state.scan.deadline !== this.deadline || this.timer === undefined) this.countTo(state.scan.deadline);
    }
    // Also on a step change: a confirm that fails after the deadline lands in `ready` again.
    this.expireIfDue();
    this.show();
  }

  /**
   * Redraws when the seconds left change (countdown.ts), while the ticket is on screen. Each
   * redraw reads the clock again, so a timer that WeChat held while the mini-program was in
   * the background only delays the redraw, not the count.
   */
  private countTo(deadline: number): void {
    clearTimeout(this.timer);
    this.deadline = deadline;
    const wait = msUntilNextSecond(deadline, Date.now());
    this.timer =
      wait > 0 && !this.stopped
        ? setTimeout(() => {
            this.timer = undefined;
            if (!('scan' in this.state)) return;
            this.countTo(deadline);
            this.expireIfDue();
            this.show();
          }, wait)
        : undefined;
  }

  private expireIfDue(): void {
    if (this.deadline !== undefined && secondsLeft(this.deadline, Date.now()) === 0) this.flow.expire();
  }

  private show(): void {
    if (!this.stopped) this.onView(this.view);
  }
}
