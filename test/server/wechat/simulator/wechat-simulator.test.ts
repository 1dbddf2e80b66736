import { ManualClock } from '../../../../server/core/clock';
import { SIMULATED_APPID, SIMULATED_SECRET } from '../../../../server/wechat/simulator/simulated-app';
import { WeChatSimulator } from '../../../../server/wechat/simulator/wechat-simulator';
import { Errcode } from '../../../../server/wechat/wechat-errcodes';

describe('WeChatSimulator', () => {
  const simulator = () => new WeChatSimulator({ clock: new ManualClock(), miniappUrl: 'http://sim.test/miniapp/' });
  const session = (code: string) => ({
    appid: SIMULATED_APPID,
    secret: SIMULATED_SECRET,
    js_code: code,
    grant_type: 'authorization_code',
  });

  it('counts the calls of each API, faulted or not', async () => {
    const wechat = simulator();
    wechat.injectFault({ api: 'jscode2session', errcode: Errcode.SYSTEM_BUSY });
    await wechat.jscode2session(session('x'));
    await wechat.jscode2session(session(wechat.login('alice')));
    await wechat.token({});
    expect(wechat.callCount('jscode2session')).toBe(2);
    expect(wechat.callCount('token')).toBe(1);
    expect(wechat.callCount('getwxacodeunlimit')).toBe(0);
  });

  it('answers in process as it does over HTTP', async () => {
    const wechat = simulator();
    expect(await wechat.jscode2session(session(wechat.login('alice')))).toEqual({
      json: { openid: wechat.openidOf('alice'), session_key: expect.any(String) },
    });
  });

  it('puts the page and the URL-encoded scene in the code URL, the home page by default', () => {
    const wechat = simulator();
    expect(wechat.codeUrl('a=1&b')).toBe('http://sim.test/miniapp/#/pages/index/index?scene=a%3D1%26b');
    expect(wechat.codeUrl('abc', 'pages/confirm/index')).toBe('http://sim.test/miniapp/#/pages/confirm/index?scene=abc');
  });
});
