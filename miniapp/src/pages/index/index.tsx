import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { SimUserPanel } from '../../components/sim-user-panel';
import { TEXTS } from '../../lib/texts';
import { IS_SIMULATOR, systemLanguage } from '../../platform';
import './index.css';

/** For someone who opens the mini-program without scanning: what it is and how to use it. */
export default function HomePage() {
  const [language] = useState(systemLanguage);
  const texts = TEXTS[language];
  return (
    <View className='page home'>
      <View className='card'>
        <Text className='title'>{texts.appTitle}</Text>
        <Text>{texts.homeIntro}</Text>
      </View>
      <View className='card'>
        {texts.homeSteps.map((step, index) => (
          <View key={step} className='step'>
            <Text>{`${index + 1}. ${step}`}</Text>
          </View>
        ))}
      </View>
      <View className='card warning'>
        <Text>{texts.homeSafety}</Text>
      </View>
      {IS_SIMULATOR && (
        <View>
          <View id='simulator-note' className='card'>
            <Text>{texts.simulatorNote}</Text>
          </View>
          <SimUserPanel texts={texts} />
        </View>
      )}
    </View>
  );
}
