import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { Errcode } from '../../../../server/wechat/wechat-errcodes';
import { MINIAPP_URL, SimulatorHarness, expectErrcode, type Answer } from './simulator-harness';

const MINUTE = 60_000;
const SCENE = '0123456789ABCDEFGHIJKL';

function decodeQr(answer: Answer): { text: string; width: number; corner: number[] } {
  expect(answer.contentType).toBe('image/png');
  const png = PNG.sync.read(answer.bytes);
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' });
  if (qr === null) throw new Error('the image holds no readable QR code');
  return { text: qr.data, width: png.width, corner: [...png.data.subarray(0, 4)] };
}

/** The image's width from its PNG header, for images too large to decode quickly. */
function pngWidth(answer: Answer): number {
  expect(answer.contentType).toBe('image/png');
  return PNG.sync.read(answer.bytes).width;
}

describe('POST wxa/getwxacodeunlimit', () => {
  let wechat: SimulatorHarness;
  let token: string;
  beforeEach(async () => {
    wechat = new SimulatorHarness();
    token = (await wechat.stableToken()).access_token;
  });
  afterEach(() => wechat.close());

  it('returns a PNG QR code of the H5 confirm page URL with the scene', async () => {
    const answer = await wechat.getwxacodeunlimit(token, { scene: SCENE, page: 'pages/confirm/index' });
    expect(answer.status).toBe(200);
    const qr = decodeQr(answer);
    expect(qr.text).toBe(`${MINIAPP_URL}#/pages/confirm/index?scene=${SCENE}`);
    expect(qr.text).toBe(wechat.simulator.codeUrl(SCENE, 'pages/confirm/index'));
    expect(qr.width).toBe(430);
    expect(qr.corner).toEqual([255, 255, 255, 255]);
  });

  it('URL-encodes a scene with punctuation and opens the home page by default', async () => {
    const scene = "a=1&b=/:;?@!#$'()*+,-._~";
    const qr = decodeQr(await wechat.getwxacodeunlimit(token, { scene, width: 280 }));
    expect(qr.text).toBe(`${MINIAPP_URL}#/pages/index/index?scene=${encodeURIComponent(scene)}`);
    expect(decodeURIComponent(new URL(qr.text.replace('#/', '')).searchParams.get('scene') ?? '')).toBe(scene);
  });

  it.each([
    [100, 280],
    [280, 280],
    [1280, 1280],
    [2000, 1280],
  ])('clamps width %i to %i', async (width, expected) => {
    expect(pngWidth(await wechat.getwxacodeunlimit(token, { scene: SCENE, width }))).toBe(expected);
  });

  it('draws a transparent background for is_hyaline and the line_color', async () => {
    const answer = await wechat.getwxacodeunlimit(token, {
      scene: SCENE,
      width: 280,
      is_hyaline: true,
      line_color: { r: 200, g: 0, b: 0 },
    });
    const png = PNG.sync.read(answer.bytes);
    expect([...png.data.subarray(0, 4)]).toEqual([255, 255, 255, 0]);
    const inked = png.data.findIndex((value, i) => i % 4 === 3 && value === 255);
    expect([...png.data.subarray(inked - 3, inked + 1)]).toEqual([200, 0, 0, 255]);
  });

  it('allows an unpublished page with check_path false, and trial/develop builds', async () => {
    for (const env_version of ['trial', 'develop', 'release']) {
      const answer = await wechat.getwxacodeunlimit(token, {
        scene: SCENE,
        width: 280,
        page: 'pages/draft/index',
        check_path: false,
        env_version,
        auto_color: true,
      });
      expect(decodeQr(answer).text).toBe(`${MINIAPP_URL}#/pages/draft/index?scene=${SCENE}`);
    }
  });

  it.each([
    ['a body that is not JSON', `scene=${SCENE}`, Errcode.INVALID_SCENE_LENGTH],
    ['an empty body', '', Errcode.INVALID_SCENE_LENGTH],
    ['a JSON array', '[]', Errcode.INVALID_SCENE_LENGTH],
    ['no scene', {}, Errcode.INVALID_SCENE_LENGTH],
    ['an empty scene', { scene: '' }, Errcode.INVALID_SCENE_LENGTH],
    ['a 33-character scene', { scene: 'a'.repeat(33) }, Errcode.INVALID_SCENE_LENGTH],
    ['a numeric scene', { scene: 12 }, Errcode.INVALID_SCENE_LENGTH],
    ['a scene with %', { scene: 'a%20b' }, Errcode.INVALID_SCENE],
    ['a scene with a space', { scene: 'a b' }, Errcode.INVALID_SCENE],
    ['a scene with Chinese', { scene: '登录' }, Errcode.INVALID_SCENE],
    ['a page with a leading /', { scene: SCENE, page: '/pages/confirm/index' }, Errcode.INVALID_PAGE],
    ['a page with a query', { scene: SCENE, page: 'pages/confirm/index?x=1' }, Errcode.INVALID_PAGE],
    ['an unpublished page', { scene: SCENE, page: 'pages/draft/index' }, Errcode.INVALID_PAGE],
    ['a non-string page', { scene: SCENE, page: 1 }, Errcode.DATA_FORMAT_ERROR],
    ['a non-boolean check_path', { scene: SCENE, check_path: 'false' }, Errcode.DATA_FORMAT_ERROR],
    ['an empty env_version', { scene: SCENE, env_version: '' }, Errcode.INVALID_ARGS],
    ['an unknown env_version', { scene: SCENE, env_version: 'beta' }, Errcode.INVALID_ARGS],
    ['a width in a string', { scene: SCENE, width: '430' }, Errcode.DATA_FORMAT_ERROR],
    ['a fractional width', { scene: SCENE, width: 430.5 }, Errcode.DATA_FORMAT_ERROR],
    ['a non-boolean is_hyaline', { scene: SCENE, is_hyaline: 'yes' }, Errcode.DATA_FORMAT_ERROR],
    ['a non-boolean auto_color', { scene: SCENE, auto_color: 1 }, Errcode.DATA_FORMAT_ERROR],
    ['a line_color channel over 255', { scene: SCENE, line_color: { r: 256, g: 0, b: 0 } }, Errcode.DATA_FORMAT_ERROR],
    ['a line_color without b', { scene: SCENE, line_color: { r: 0, g: 0 } }, Errcode.DATA_FORMAT_ERROR],
  ])('answers %s with its errcode', async (_, body, errcode) => {
    expectErrcode(await wechat.getwxacodeunlimit(token, body), errcode);
  });

  it('accepts a 32-character scene', async () => {
    const scene = 'A'.repeat(32);
    const qr = decodeQr(await wechat.getwxacodeunlimit(token, { scene, width: 280 }));
    expect(qr.text).toContain(`scene=${scene}`);
  });

  it('answers WeChat’s errmsg texts', async () => {
    const errmsg = async (body: unknown) => (await wechat.getwxacodeunlimit(token, body)).body.errmsg;
    expect(await errmsg('x')).toMatch(/^invalid length for scene, or the data is not json string rid: /);
    expect(await errmsg({ scene: '%' })).toMatch(/^invalid scene rid: /);
    expect(await errmsg({ scene: SCENE, page: '/x' })).toMatch(/^invalid page rid: /);
    expect(await errmsg({ scene: SCENE, env_version: '' })).toMatch(/^invalid args rid: /);
    expect(await errmsg({ scene: SCENE, width: 'x' })).toMatch(/^data format error rid: /);
  });

  it.each([
    ['no access_token', undefined],
    ['an unknown access_token', 'not-a-token'],
  ])('answers %s with 40001 before looking at the body', async (_, accessToken) => {
    const query = accessToken === undefined ? '' : `?access_token=${accessToken}`;
    const answer = await wechat.post(`wxa/getwxacodeunlimit${query}`, 'not json');
    expectErrcode(answer, Errcode.INVALID_CREDENTIAL);
    expect(answer.body.errmsg).toMatch(/^invalid credential, access_token is invalid or not latest rid: /);
  });

  it('answers an expired access_token with 42001', async () => {
    wechat.clock.advance(7200 * 1000);
    const answer = await wechat.getwxacodeunlimit(token, { scene: SCENE });
    expectErrcode(answer, Errcode.ACCESS_TOKEN_EXPIRED);
    expect(answer.body.errmsg).toMatch(/^access_token expired rid: /);
  });

  it('answers 45009 beyond the per-minute limit, and serves again the next minute', async () => {
    const limited = new SimulatorHarness({ quotaLimits: { getwxacodeunlimitPerMinute: 2 } });
    try {
      const limitedToken = (await limited.stableToken()).access_token;
      for (let i = 0; i < 2; i++) pngWidth(await limited.getwxacodeunlimit(limitedToken, { scene: SCENE }));
      expectErrcode(await limited.getwxacodeunlimit(limitedToken, { scene: SCENE }), Errcode.DAILY_QUOTA);
      limited.clock.advance(MINUTE);
      pngWidth(await limited.getwxacodeunlimit(limitedToken, { scene: SCENE }));
    } finally {
      await limited.close();
    }
  });
});
