/**
 * The package's entry: `import { createScanLogin } from 'mp-scan-login'`. Everything a
 * host needs to mount scan login, and the types its options and hook take.
 */
export { createScanLogin } from './scan-login';
export type { ScanLogin } from './scan-login';
export { ScanLoginOptionsError } from './scan-login-options';
export type { Login, ScanLoginOptions } from './scan-login-options';
export type { LimitsConfig } from '../config/config';
export type { PublicUser } from './stores/user-store';
export type { RequesterView } from './http/requester-view';
export type { MetricsExposition } from './metrics/prometheus-metrics';
