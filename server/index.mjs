// ESM hosts: the CommonJS build, re-exported by name.
import scanLogin from './index.js';

export const { createScanLogin, ScanLoginOptionsError } = scanLogin;
