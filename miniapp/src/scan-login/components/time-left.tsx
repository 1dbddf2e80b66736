import { Text, View } from '@tarojs/components';
import type { TimeLeftView } from '../lib/confirm-view';
import '../styles.css';

/**
 * The time the code has left, and once it has run out, that it expired and what to do. A
 * `timer` is not read out at every tick; the expiry is an `alert`, read out at once.
 * `data-state` (`counting`, `expired`) is the hook for browser tests.
 */
export function TimeLeft({ view }: { view: TimeLeftView }) {
  if (view.state === 'expired') {
    return (
      <View id='time-left' className='scan-login-card scan-login-error' data-state='expired' role='alert'>
        <Text className='scan-login-title'>{view.title}</Text>
        <Text>{view.hint}</Text>
      </View>
    );
  }
  return (
    <View id='time-left' className='scan-login-time-left' data-state='counting' role='timer'>
      <Text className='scan-login-muted'>{view.text}</Text>
    </View>
  );
}
