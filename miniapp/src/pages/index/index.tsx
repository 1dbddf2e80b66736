import { Text, View } from '@tarojs/components';
import { SimUserPanel } from '../../scan-login/components/sim-user-panel';
import { usePageLanguage } from '../../scan-login/hooks/use-page-language';
import { TEXTS } from '../../scan-login/lib/texts';
import { IS_H5 } from '../../scan-login/platform';
import '../../scan-login/styles.css';
import { HOME_TEXTS } from './home-texts';
import './index.css';

/** For someone who opens the mini-program without scanning: what it is and how to use it. */
export default function HomePage() {
  const language = usePageLanguage((page) => HOME_TEXTS[page].title);
  const texts = HOME_TEXTS[language];
  return (
    <View id='home' className='scan-login-page'>
      <View className='scan-login-card'>
        <Text className='scan-login-title'>{texts.title}</Text>
        <Text>{texts.intro}</Text>
      </View>
      <View className='scan-login-card'>
        {texts.steps.map((step, index) => (
          <View key={step} className='home-step'>
            <Text>{`${index + 1}. ${step}`}</Text>
          </View>
        ))}
      </View>
      <View className='scan-login-card scan-login-warning'>
        <Text>{texts.safety}</Text>
      </View>
      {IS_H5 && (
        <View>
          <View id='simulator-note' className='scan-login-card'>
            <Text>{texts.simulatorNote}</Text>
          </View>
          <SimUserPanel texts={TEXTS[language]} />
        </View>
      )}
    </View>
  );
}
