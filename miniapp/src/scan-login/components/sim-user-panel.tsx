import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { readSimUser, writeSimUser } from '../lib/sim-user';
import type { Texts } from '../lib/texts';
import { storage } from '../platform';
import '../styles.css';
import { ActionButton } from './action-button';

/**
 * Which simulated WeChat user confirms when the code comes from the simulator (H5, or
 * weapp against a simulated server). Two browsers with two names are two people, each
 * with their own openid in the simulator. `note`: what the page says above the name.
 */
export function SimUserPanel({ texts, note }: { texts: Texts; note?: string }) {
  const [user, setUser] = useState(() => readSimUser(storage));
  const [draft, setDraft] = useState(user);
  const [invalid, setInvalid] = useState(false);

  const save = () => {
    const saved = writeSimUser(storage, draft);
    setInvalid(saved === null);
    if (saved !== null) {
      setUser(saved);
      setDraft(saved);
    }
  };

  return (
    <View className='scan-login-card scan-login-sim-user' id='sim-user'>
      {note && (
        <Text id='sim-login-notice' className='scan-login-note'>
          {note}
        </Text>
      )}
      <Text className='scan-login-muted'>{texts.simUserLabel}</Text>
      <Text id='sim-user-name' className='scan-login-title'>
        {user}
      </Text>
      <Input
        id='sim-user-input'
        className='scan-login-field'
        value={draft}
        maxlength={32}
        onInput={(event) => setDraft(event.detail.value)}
        onConfirm={save}
      />
      {invalid && <Text className='scan-login-muted'>{texts.simUserInvalid}</Text>}
      <ActionButton id='sim-user-save' mini label={texts.simUserSave} onPress={save} />
    </View>
  );
}
