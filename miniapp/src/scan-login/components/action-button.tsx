import { Button } from '@tarojs/components';
import '../styles.css';

export interface ActionButtonProps {
  id: string;
  label: string;
  primary?: boolean;
  mini?: boolean;
  /** On screen but doing nothing: the page is busy, or the code expired. */
  disabled?: boolean;
  /** This button's request is in flight (a spinner). */
  busy?: boolean;
  onPress: () => void;
}

/**
 * A button of the pages. In WeChat it is WeChat's own `<button>`, which WeChat makes
 * accessible itself; the H5 build uses action-button.h5.tsx instead (Taro picks the file
 * by the build's platform).
 */
export function ActionButton({ id, label, primary, mini, disabled, busy, onPress }: ActionButtonProps) {
  return (
    <Button
      id={id}
      className='scan-login-button'
      type={primary ? 'primary' : 'default'}
      size={mini ? 'mini' : 'default'}
      disabled={disabled}
      loading={busy}
      onClick={onPress}
    >
      {label}
    </Button>
  );
}
