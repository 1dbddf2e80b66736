export { ScanLogin, type ScanLoginAccount, type ScanLoginProps } from './ScanLogin';
export type { Locale } from './messages';
export type { LoginEvents, LoginUser } from '../client';
