import { ManualClock } from '../../../../server/core/clock';
import { wechatErrorBody } from '../../../../server/wechat/simulator/wechat-error-body';
import { Errcode } from '../../../../server/wechat/wechat-errcodes';

describe('wechatErrorBody', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const random = (size: number) => Buffer.alloc(size, 0xab);
  // 2026-01-01T00:00:00Z is 0x6955b900 seconds after the epoch.
  const rid = 'rid: 6955b900-abababab-abababab';

  it('ends errmsg with a rid of the Unix time in hex and two random words', () => {
    expect(wechatErrorBody(Errcode.INVALID_CODE, clock, random)).toEqual({
      errcode: 40029,
      errmsg: `invalid code ${rid}`,
    });
  });

  it.each([
    [Errcode.INVALID_CREDENTIAL, 'invalid credential, access_token is invalid or not latest'],
    [Errcode.INVALID_APPSECRET, 'invalid appsecret'],
    [Errcode.INVALID_SCENE_LENGTH, 'invalid length for scene, or the data is not json string'],
    [Errcode.DAILY_QUOTA, 'reach max api daily quota limit'],
    [Errcode.API_UNAUTHORIZED, 'api unauthorized'],
    [12345, 'simulated fault'],
  ])('gives errcode %i WeChat’s text', (errcode, text) => {
    expect(wechatErrorBody(errcode, clock, random).errmsg).toBe(`${text} ${rid}`);
  });
});
