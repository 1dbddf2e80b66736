import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { readSimUser, writeSimUser } from '../lib/sim-user';
import type { Texts } from '../lib/texts';
import { storage } from '../platform';

/**
 * H5 only: which simulated WeChat user confirms. Two browsers with two names are two
 * people, each with their own openid in the simulator.
 */
export function SimUserPanel({ texts }: { texts: Texts }) {
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
    <View className='card sim-user' id='sim-user'>
      <Text className='muted'>{texts.simUserLabel}</Text>
      <Text id='sim-user-name' className='title'>
        {user}
      </Text>
      <Input
        id='sim-user-input'
        className='field-input'
        value={draft}
        maxlength={32}
        onInput={(event) => setDraft(event.detail.value)}
        onConfirm={save}
      />
      {invalid && <Text className='muted'>{texts.simUserInvalid}</Text>}
      <Button id='sim-user-save' className='button' size='mini' onClick={save}>
        {texts.simUserSave}
      </Button>
    </View>
  );
}
