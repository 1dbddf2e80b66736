import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ActionButton } from '../../components/action-button';
import { SimUserPanel } from '../../components/sim-user-panel';
import { TimeLeft } from '../../components/time-left';
import { useConfirmScreen } from '../../hooks/use-confirm-screen';
import { usePageLanguage } from '../../hooks/use-page-language';
import type { Message } from '../../lib/messages';
import { decodeScene } from '../../lib/scene';
import { TEXTS } from '../../lib/texts';
import { entryScene, focusOn, services } from '../../platform';
import '../../styles.css';
import './index.css';

/**
 * Opened by a scan with the ticket id as `scene`: shows who asks to log in and how long the
 * code has left, then confirms or cancels. What it shows is lib/confirm-view.ts; this is
 * its markup. Element ids are the contract's hooks for browser tests (DESIGN.md).
 */
export default function ConfirmPage() {
  const router = useRouter();
  const language = usePageLanguage((page) => TEXTS[page].confirmTitle);
  const { screen, view } = useConfirmScreen(() => ({
    services,
    ticketId: decodeScene(router.params.scene),
    launchScene: entryScene(),
    language,
  }));
  const [nickname, setNickname] = useState('');
  const ended = view.outcome?.outcome;

  useEffect(() => {
    // The outcome replaces the buttons, one of which had the focus.
    if (ended) focusOn('confirm-result');
  }, [ended]);

  const { request, outcome } = view;
  return (
    <View className='scan-login-page'>
      {view.simulatorNotice && (
        <View id='simulator-notice' className='scan-login-card scan-login-warning' role='note'>
          <Text>{view.simulatorNotice}</Text>
        </View>
      )}
      {view.forwardedWarning && (
        <View id='forwarded-warning' className='scan-login-card scan-login-warning'>
          <Text>{view.forwardedWarning}</Text>
        </View>
      )}
      {view.scanning && <Text className='scan-login-muted'>{view.scanning}</Text>}
      {request && (
        <View>
          <View id='requester' className='scan-login-card'>
            <Text className='scan-login-title'>{request.title}</Text>
            {request.rows.map(({ label, value }) => (
              <View key={label} className='scan-login-row'>
                <Text className='scan-login-row-label'>{label}</Text>
                <Text className='scan-login-row-value'>{value}</Text>
              </View>
            ))}
          </View>
          {request.failure && (
            <View id='confirm-error' className='scan-login-card scan-login-error' data-code={request.failure.code} role='alert'>
              <Body message={request.failure} />
            </View>
          )}
          <View className='scan-login-card'>
            <Text className='scan-login-muted'>{request.nicknameLabel}</Text>
            <Input
              id='nickname'
              className='scan-login-field'
              type='nickname'
              maxlength={32}
              placeholder={request.nicknamePlaceholder}
              value={nickname}
              onInput={(event) => setNickname(event.detail.value)}
              // Picking the WeChat nickname from the keyboard fires blur, not input.
              onBlur={(event) => setNickname(event.detail.value)}
            />
          </View>
          {request.timeLeft && <TimeLeft view={request.timeLeft} />}
          <ActionButton id='confirm-login' primary {...request.confirm} onPress={() => void screen.confirm(nickname)} />
          <ActionButton id='cancel-login' {...request.cancel} onPress={() => void screen.cancel()} />
        </View>
      )}
      {outcome && (
        <View
          id='confirm-result'
          className={outcome.outcome === 'failed' ? 'scan-login-card scan-login-error' : 'scan-login-card'}
          data-outcome={outcome.outcome}
          data-code={outcome.code}
          role='status'
        >
          <Body message={outcome} />
        </View>
      )}
      {outcome?.retry && <ActionButton id='retry-scan' primary label={outcome.retry} onPress={() => void screen.retry()} />}
      {view.simulatorLogin && <SimUserPanel texts={TEXTS[language]} note={view.simulatorLogin} />}
    </View>
  );
}

function Body({ message }: { message: Message }) {
  return (
    <>
      <Text className='scan-login-title'>{message.title}</Text>
      <Text>{message.hint}</Text>
    </>
  );
}
