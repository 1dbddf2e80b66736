import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ActionButton } from '../../components/action-button';
import { SimUserPanel } from '../../components/sim-user-panel';
import { TimeLeft } from '../../components/time-left';
import { usePageLanguage } from '../../hooks/use-page-language';
import { useSecondsLeft } from '../../hooks/use-seconds-left';
import type { ScanResult } from '../../lib/api';
import { ConfirmFlow, Failure, FlowState } from '../../lib/confirm-flow';
import type { Language } from '../../lib/language';
import { isForwardedCode } from '../../lib/launch-scene';
import type { LoginSource } from '../../lib/login-source';
import { messageFor } from '../../lib/messages';
import { decodeScene } from '../../lib/scene';
import { formatTime, Texts } from '../../lib/texts';
import { api, entryScene, focusOn, login, loginSource, scanTokens } from '../../platform';
import './index.css';

/**
 * Opened by a scan with the ticket id as `scene`: shows who asks to log in and how long the
 * code has left, then confirms or cancels. Element ids are the contract's hooks for
 * browser tests (DESIGN.md).
 */
export default function ConfirmPage() {
  const router = useRouter();
  const { language, texts } = usePageLanguage((page) => page.confirmTitle);
  const [launchScene] = useState(entryScene);
  const [state, setState] = useState<FlowState>({ step: 'scanning' });
  const [flow] = useState(() => {
    const ticketId = decodeScene(router.params.scene);
    return new ConfirmFlow({ api, login, scanTokens, ticketId, launchScene }, setState);
  });
  const [nickname, setNickname] = useState('');
  // Remembered past the scan, so the outcome too says that this was only a demo.
  const [simulated, setSimulated] = useState(false);
  const [source, setSource] = useState<LoginSource>();
  const secondsLeft = useSecondsLeft('scan' in state ? state.scan.deadline : undefined);

  useEffect(() => {
    void flow.start();
  }, [flow]);

  useEffect(() => {
    // Unknown until the server answers. A failed ask is not reported here: the confirm asks
    // too and reports its failure; each later step asks again (answered from memory once known).
    if (source === undefined) loginSource().then(setSource, () => undefined);
  }, [source, state.step]);

  useEffect(() => {
    if ('scan' in state && state.scan.wechat === 'simulator') setSimulated(true);
  }, [state]);

  useEffect(() => {
    // With the step: a confirm that fails after the deadline lands in `ready` again.
    if (secondsLeft === 0) flow.expire();
  }, [flow, secondsLeft, state.step]);

  useEffect(() => {
    // The outcome replaces the buttons, one of which had the focus.
    if (state.step === 'confirmed' || state.step === 'cancelled' || state.step === 'failed') focusOn('confirm-result');
  }, [state.step]);

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
      {'scan' in state && (
        <View>
          <RequesterCard scan={state.scan} texts={texts} />
          {state.step === 'ready' && state.failure && (
            <ErrorCard failure={state.failure} texts={texts} language={language} />
          )}
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
          {secondsLeft !== undefined && (
            <TimeLeft seconds={secondsLeft} expired={state.step === 'expired'} texts={texts} language={language} />
          )}
          <ActionButton
            id='confirm-login'
            primary
            label={texts.confirm}
            disabled={state.step !== 'ready'}
            busy={state.step === 'confirming'}
            onPress={() => void flow.confirm(nickname)}
          />
          <ActionButton
            id='cancel-login'
            label={texts.cancel}
            disabled={state.step !== 'ready'}
            busy={state.step === 'cancelling'}
            onPress={() => void flow.cancel()}
          />
        </View>
      )}
      {state.step === 'confirmed' && <Outcome outcome='confirmed' title={texts.confirmed} hint={texts.confirmedHint} />}
      {state.step === 'cancelled' && <Outcome outcome='cancelled' title={texts.cancelled} hint={texts.cancelledHint} />}
      {state.step === 'failed' && (
        <View>
          <Outcome outcome='failed' code={state.error.code} {...messageFor(state.error.code, language, texts.retry)} />
          {state.retryable && (
            <ActionButton id='retry-scan' primary label={texts.retry} onPress={() => void flow.retry()} />
          )}
        </View>
      )}
      {source === 'simulator' && <SimUserPanel texts={texts} note={texts.simulatorLogin} />}
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

/** A failed confirm or cancel that can be tried again with the same button, which stays below it. */
function ErrorCard({ failure, texts, language }: { failure: Failure; texts: Texts; language: Language }) {
  const message = messageFor(failure.error.code, language, texts[failure.action]);
  return (
    <View id='confirm-error' className='card error' data-code={failure.error.code} role='alert'>
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
      role='status'
    >
      <Text className='title'>{props.title}</Text>
      <Text>{props.hint}</Text>
    </View>
  );
}
