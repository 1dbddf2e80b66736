export { default } from '../../scan-login/pages/confirm/index.config';
