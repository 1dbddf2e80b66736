import { isForwardedCode, launchSceneOf } from '../../../../miniapp/src/scan-login/lib/launch-scene';

describe('isForwardedCode', () => {
  it('flags a code long-pressed in a chat (1048) or picked from the album (1049)', () => {
    expect(isForwardedCode(1048)).toBe(true);
    expect(isForwardedCode(1049)).toBe(true);
  });

  it('does not flag a live camera scan (1047) or an unknown scene', () => {
    expect(isForwardedCode(1047)).toBe(false);
    expect(isForwardedCode(1001)).toBe(false);
    expect(isForwardedCode(undefined)).toBe(false);
  });
});

describe('launchSceneOf', () => {
  it('keeps a positive integer scene', () => {
    expect(launchSceneOf(1047)).toBe(1047);
  });

  it("drops H5's 0 and anything that is not a scene number", () => {
    expect(launchSceneOf(0)).toBeUndefined();
    expect(launchSceneOf(-1)).toBeUndefined();
    expect(launchSceneOf(10.5)).toBeUndefined();
    expect(launchSceneOf('1048')).toBeUndefined();
    expect(launchSceneOf(undefined)).toBeUndefined();
  });
});
