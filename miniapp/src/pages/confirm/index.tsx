import { Button, Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { SimUserPanel } from '../../components/sim-user-panel';
import type { ScanResult } from '../../lib/api';
import { ConfirmFlow, FlowState } from '../../lib/confirm-flow';
import type { Language } from '../../lib/language';
import { isForwardedCode } from '../../lib/launch-scene';
import type { LoginError } from '../../lib/login-error';
import { messageFor } from '../../lib/messages';
import { decodeScene } from '../../lib/scene';
import { formatTime, Texts, TEXTS } from '../../lib/texts';
import { api, entryScene, IS_SIMULATOR, login, systemLanguage } from '../../platform';
import './index.css';

/**
 * Opened by a scan with the ticket id as `scene`: shows who asks to log in, then confirms
 * or cancels. Element ids are the contract's hooks for browser tests (DESIGN.md).
 */
export default function ConfirmPage() {
  const router = useRouter();
  const [language] = useState(systemLanguage);
  const [launchScene] = useState(entryScene);
  const [state, setState] = useState<FlowState>({ step: 'scanning' });
  const [flow] = useState(
    () => new ConfirmFlow({ api, login, ticketId: decodeScene(router.params.scene), launchScene }, setState),
  );
  const [nickname, setNickname] = useState('');
  // Remembered past the scan, so the outcome too says that this was only a demo.
  const [simulated, setSimulated] = useState(false);
  const texts = TEXTS[language];
  // `undefined`, never false: Taro H5 renders a false boolean prop as the attribute "false",
  // and its button CSS ([disabled], [loading]) takes any value for true.
  const confirming = state.step === 'confirming' || undefined;
  const cancelling = state.step === 'cancelling' || undefined;
  const busy = confirming || cancelling;

  useEffect(() => {
    void flow.start();
  }, [flow]);

  useEffect(() => {
    if ('scan' in state && state.scan.wechat === 'simulator') setSimulated(true);
  }, [state]);

  return (
    <View className='page confirm'>
      {simulated && (
        <View id='simulator-notice' className='card warning' role='note'>
          <Text>{texts.simulatorNotice}</Text>
        </View>
      )}
      {isForwardedCode(launchScene) && (
        <View id='forwarded-warning' className='card warning'>
          <Text>{texts.forwardedWarning}</Text>
        </View>
      )}
      {state.step === 'scanning' && <Text className='muted'>{texts.scanning}</Text>}
      {(state.step === 'ready' || state.step === 'confirming' || state.step === 'cancelling') && (
        <View>
          <RequesterCard scan={state.scan} texts={texts} />
          {state.step === 'ready' && state.error && <ErrorCard error={state.error} language={language} />}
          <View className='card'>
            <Text className='muted'>{texts.nicknameLabel}</Text>
            <Input
              id='nickname'
              className='field-input'
              type='nickname'
              maxlength={32}
              placeholder={texts.nicknamePlaceholder}
              value={nickname}
              onInput={(event) => setNickname(event.detail.value)}
              // Picking the WeChat nickname from the keyboard fires blur, not input.
              onBlur={(event) => setNickname(event.detail.value)}
            />
          </View>
          <Button
            id='confirm-login'
            className='button'
            type='primary'
            disabled={busy}
            loading={confirming}
            onClick={() => void flow.confirm(nickname)}
          >
            {texts.confirm}
          </Button>
          <Button
            id='cancel-login'
            className='button'
            disabled={busy}
            loading={cancelling}
            onClick={() => void flow.cancel()}
          >
            {texts.cancel}
          </Button>
        </View>
      )}
      {state.step === 'confirmed' && <Outcome outcome='confirmed' title={texts.confirmed} hint={texts.confirmedHint} />}
      {state.step === 'cancelled' && <Outcome outcome='cancelled' title={texts.cancelled} hint={texts.cancelledHint} />}
      {state.step === 'failed' && (
        <View>
          <Outcome outcome='failed' code={state.error.code} {...messageFor(state.error.code, language)} />
          {state.retryable && (
            <Button id='retry-scan' className='button' type='primary' onClick={() => void flow.retry()}>
              {texts.retry}
            </Button>
          )}
        </View>
      )}
      {IS_SIMULATOR && <SimUserPanel texts={texts} />}
    </View>
  );
}

function RequesterCard({ scan, texts }: { scan: ScanResult; texts: Texts }) {
  const { requester } = scan;
  const rows: Array<[string, string]> = [
    [texts.browser, requester.browser],
    [texts.os, requester.os],
    [texts.ip, requester.ip],
    [texts.time, formatTime(requester.createdAt)],
  ];
  return (
    <View id='requester' className='card'>
      <Text className='title'>{texts.asking(scan.site?.name)}</Text>
      {rows.map(([label, value]) => (
        <View key={label} className='row'>
          <Text className='row-label'>{label}</Text>
          <Text className='row-value'>{value}</Text>
        </View>
      ))}
    </View>
  );
}

/** A failed confirm or cancel that can be tried again; the buttons stay below it. */
function ErrorCard({ error, language }: { error: LoginError; language: Language }) {
  const message = messageFor(error.code, language);
  return (
    <View id='confirm-error' className='card error' data-code={error.code}>
      <Text className='title'>{message.title}</Text>
      <Text>{message.hint}</Text>
    </View>
  );
}

/** The end of the flow, in `#confirm-result`; `data-outcome` lets tests tell the ends apart. */
function Outcome(props: { outcome: 'confirmed' | 'cancelled' | 'failed'; title: string; hint: string; code?: string }) {
  return (
    <View
      id='confirm-result'
      className={`card ${props.outcome === 'failed' ? 'error' : ''}`}
      data-outcome={props.outcome}
      data-code={props.code}
    >
      <Text className='title'>{props.title}</Text>
      <Text>{props.hint}</Text>
    </View>
  );
}
