import { Text, View } from '@tarojs/components';
import { formatSeconds } from '../lib/countdown';
import type { Language } from '../lib/language';
import { messageFor } from '../lib/messages';
import type { Texts } from '../lib/texts';

/**
 * The time the code has left, and once it has run out, that it expired and what to do. A
 * `timer` is not read out at every tick; the expiry is an `alert`, read out at once.
 * `data-state` (`counting`, `expired`) is the hook for browser tests.
 */
export function TimeLeft(props: { seconds: number; expired: boolean; texts: Texts; language: Language }) {
  const { seconds, expired, texts, language } = props;
  if (expired) {
    const message = messageFor('TICKET_EXPIRED', language, texts.retry);
    return (
      <View id='time-left' className='card error' data-state='expired' role='alert'>
        <Text className='title'>{message.title}</Text>
        <Text>{message.hint}</Text>
      </View>
    );
  }
  return (
    <View id='time-left' className='time-left' data-state='counting' role='timer'>
      <Text className='muted'>{texts.timeLeft(formatSeconds(seconds))}</Text>
    </View>
  );
}
