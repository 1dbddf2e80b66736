import { Text, View } from '@tarojs/components';
import { SimUserPanel } from '../../components/sim-user-panel';
import { usePageLanguage } from '../../hooks/use-page-language';
import { IS_H5 } from '../../platform';
import './index.css';

/** For someone who opens the mini-program without scanning: what it is and how to use it. */
export default function HomePage() {
  const { texts } = usePageLanguage((page) => page.appTitle);
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
      {IS_H5 && (
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
