import type { FlowState } from './confirm-flow';
import { formatSeconds } from './countdown';
import type { Language } from './language';
import { isForwardedCode } from './launch-scene';
import type { LoginSource } from './login-source';
import { Message, messageFor } from './messages';
import { formatTime, TEXTS } from './texts';

/**
 * What the confirm page shows, as plain data: every word already in the page's language,
 * every choice of what to show already made. A Taro page renders it with React, a native
 * page binds it in WXML (`setData`), so both show the same page from the same logic.
 * Absent parts are not shown.
 */
export interface ConfirmView {
  /** `#simulator-notice`: the server simulates WeChat, a demo. */
  simulatorNotice?: string;
  /** `#forwarded-warning`: the code came from a chat image or the album (launch scene 1048/1049). */
  forwardedWarning?: string;
  scanning?: string;
  /** Once the scan answered: who asks, and the buttons. */
  request?: RequestView;
  /** `#confirm-result`: the end of the flow. */
  outcome?: OutcomeView;
  /** The note above the simulated user, when the login code comes from the simulator. */
  simulatorLogin?: string;
}

export interface RequestView {
  /** `#requester`. */
  title: string;
  rows: Array<{ label: string; value: string }>;
  /** `#confirm-error`: a confirm or cancel that failed but can be tried again; the buttons stay. */
  failure?: CodedMessage;
  nicknameLabel: string;
  nicknamePlaceholder: string;
  /** `#time-left`. */
  timeLeft?: TimeLeftView;
  confirm: ButtonView;
  cancel: ButtonView;
}

export interface ButtonView {
  label: string;
  /** On screen but doing nothing: the page is busy, or the code expired. */
  disabled: boolean;
  /** This button's request is in flight. */
  busy: boolean;
}

export interface CodedMessage extends Message {
  code: string;
}

/** A `timer` while counting; once the time is up, that the code expired and what to do. */
export type TimeLeftView = { state: 'counting'; text: string } | ({ state: 'expired' } & Message);

export interface OutcomeView extends Message {
  outcome: 'confirmed' | 'cancelled' | 'failed';
  /** The error code of a failed flow. */
  code?: string;
  /** `#retry-scan`'s label, after a scan that failed in a retryable way. */
  retry?: string;
}

export interface ViewInput {
  state: FlowState;
  language: Language;
  /** Whole seconds until the ticket expires; undefined before the scan answered. */
  secondsLeft?: number;
  launchScene?: number;
  /** A scan answer said `"wechat": "simulator"`; kept to the end, so the outcome says so too. */
  simulated: boolean;
  /** Undefined until known: on weapp, from the scan answer. */
  source?: LoginSource;
}

export function confirmView({ state, language, secondsLeft, launchScene, simulated, source }: ViewInput): ConfirmView {
  const texts = TEXTS[language];
  const view: ConfirmView = {};
  if (simulated) view.simulatorNotice = texts.simulatorNotice;
  if (isForwardedCode(launchScene)) view.forwardedWarning = texts.forwardedWarning;
  if (state.step === 'scanning') view.scanning = texts.scanning;
  if ('scan' in state) {
    const { requester, site } = state.scan;
    view.request = {
      title: texts.asking(site?.name),
      rows: [
        { label: texts.browser, value: requester.browser },
        { label: texts.os, value: requester.os },
        { label: texts.ip, value: requester.ip },
        { label: texts.time, value: formatTime(requester.createdAt) },
      ],
      nicknameLabel: texts.nicknameLabel,
      nicknamePlaceholder: texts.nicknamePlaceholder,
      confirm: { label: texts.confirm, disabled: state.step !== 'ready', busy: state.step === 'confirming' },
      cancel: { label: texts.cancel, disabled: state.step !== 'ready', busy: state.step === 'cancelling' },
    };
    if (state.step === 'ready' && state.failure) {
      const { action, error } = state.failure;
      view.request.failure = { code: error.code, ...messageFor(error.code, language, texts[action]) };
    }
    if (state.step === 'expired') {
      view.request.timeLeft = { state: 'expired', ...messageFor('TICKET_EXPIRED', language, texts.retry) };
    } else if (secondsLeft !== undefined) {
      view.request.timeLeft = { state: 'counting', text: texts.timeLeft(formatSeconds(secondsLeft)) };
    }
  }
  if (state.step === 'confirmed') view.outcome = { outcome: 'confirmed', title: texts.confirmed, hint: texts.confirmedHint };
  if (state.step === 'cancelled') view.outcome = { outcome: 'cancelled', title: texts.cancelled, hint: texts.cancelledHint };
  if (state.step === 'failed') {
    const { error, retryable } = state;
    view.outcome = { outcome: 'failed', code: error.code, ...messageFor(error.code, language, texts.retry) };
    if (retryable) view.outcome.retry = texts.retry;
  }
  if (source === 'simulator') view.simulatorLogin = texts.simulatorLogin;
  return view;
}
