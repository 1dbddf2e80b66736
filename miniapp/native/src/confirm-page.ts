import { ConfirmScreen } from '../../src/scan-login/lib/confirm-screen';
import type { ConfirmView } from '../../src/scan-login/lib/confirm-view';
import { decodeScene } from '../../src/scan-login/lib/scene';
import { readSimUser, writeSimUser } from '../../src/scan-login/lib/sim-user';
import { TEXTS } from '../../src/scan-login/lib/texts';
import { entryScene, services, showTitle, storage, systemLanguage } from './wx-platform';

/**
 * The native confirm page (scan-login/pages/confirm/index.js once built): the same screen
 * as the Taro page (lib/confirm-screen.ts), bound to index.wxml through `setData`. What
 * WXML shows is `view`; the handlers only pass taps and input on.
 */

/** The simulated WeChat user who confirms when the server simulates WeChat (see sim-user.ts). */
interface SimUserData {
  label: string;
  save: string;
  invalidText: string;
  name: string;
  draft: string;
  invalid: boolean;
}

interface InputEvent {
  detail: { value: string };
}

Page({
  data: { view: {} as ConfirmView, simUser: {} as SimUserData },
  screen: undefined as ConfirmScreen | undefined,
  nickname: '',

  onLoad(query: Record<string, string | undefined>) {
    const language = systemLanguage();
    const texts = TEXTS[language];
    showTitle(texts.confirmTitle);
    const name = readSimUser(storage);
    const screen = new ConfirmScreen(
      { services, ticketId: decodeScene(query.scene), launchScene: entryScene(), language },
      (view) => this.setData({ view }),
    );
    this.screen = screen;
    this.setData({
      view: screen.view,
      simUser: { label: texts.simUserLabel, save: texts.simUserSave, invalidText: texts.simUserInvalid, name, draft: name, invalid: false },
    });
    void screen.start();
  },

  onUnload() {
    this.screen?.stop();
  },

  // Picking the WeChat nickname from the keyboard fires blur, not input: both land here.
  onNickname(event: InputEvent) {
    this.nickname = event.detail.value;
  },

  onConfirm() {
    void this.screen?.confirm(this.nickname);
  },

  onCancel() {
    void this.screen?.cancel();
  },

  onRetry() {
    void this.screen?.retry();
  },

  onSimUserInput(event: InputEvent) {
    this.setData({ simUser: { ...this.data.simUser, draft: event.detail.value } });
  },

  onSimUserSave() {
    const saved = writeSimUser(storage, this.data.simUser.draft);
    const simUser = this.data.simUser;
    this.setData({
      simUser: saved === null ? { ...simUser, invalid: true } : { ...simUser, name: saved, draft: saved, invalid: false },
    });
  },
});
