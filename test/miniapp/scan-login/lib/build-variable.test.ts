import { runInNewContext } from 'node:vm';
import { buildVariable } from '../../../../miniapp/src/scan-login/lib/build-variable';

describe('buildVariable', () => {
  it('reads the value the build wrote in', () => {
    expect(buildVariable(() => 'https://example.com')).toBe('https://example.com');
  });

  it('reads a name the app never listed as unset, where the build left `process.env.…` and there is no `process`', () => {
    // What Taro leaves for an unlisted name, run where WeChat runs it: a context without `process`.
    const unlisted = runInNewContext('() => process.env.TARO_APP_SCAN_LOGIN_PREFIX', {}) as () => string | undefined;
    expect(unlisted).toThrow(/process is not defined/);
    expect(buildVariable(unlisted)).toBeUndefined();
  });
});
