import type { ActionButtonProps } from './action-button';
import '../styles.css';
import './action-button.h5.css';

/**
 * The H5 build's button: a real `<button>`. Taro's `<Button>` renders on H5 as the custom
 * element `<taro-button-core>`, which has no role, is not in the tab order and ignores
 * Enter and Space, so neither a keyboard nor a screen reader can use it. A native button
 * is all of that by itself, and its text is its accessible name.
 *
 * Disabled is `aria-disabled`, not `disabled`: a disabled button drops the keyboard focus,
 * so the tap that made the page busy would send a keyboard user back to the top of the
 * page; with aria-disabled the button keeps the focus, says it is unavailable, and the
 * click is ignored here.
 */
export function ActionButton({ id, label, primary, mini, disabled, busy, onPress }: ActionButtonProps) {
  const classes = [
    'scan-login-button',
    'scan-login-action-button',
    primary ? 'scan-login-action-button-primary' : 'scan-login-action-button-default',
  ];
  if (mini) classes.push('scan-login-action-button-mini');
  return (
    <button
      id={id}
      type='button'
      className={classes.join(' ')}
      aria-disabled={disabled || undefined}
      aria-busy={busy || undefined}
      onClick={() => {
        if (!disabled) onPress();
      }}
    >
      {label}
    </button>
  );
}
