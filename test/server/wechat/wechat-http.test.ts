import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noMetrics, type Metrics } from '../../../server/metrics/metrics';
import { WeChatHttp } from '../../../server/wechat/wechat-http';

/** Answers as WeChat might, one way per path. */
const ANSWERS: Record<string, (res: ServerResponse) => void> = {
  '/token': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t","expires_in":7200}'),
  '/quota': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":45011,"errmsg":"limit"}'),
  '/image': (res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50])),
  '/gateway': (res) => res.writeHead(502).end('bad gateway'),
  '/garbage': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":'),
  '/slow': (res) => void setTimeout(() => res.writeHead(200).end('{}'), 400),
};

describe('WeChatHttp', () => {
  let server: Server;
  let base: string;
  let calls: [string, string][];
  const metrics: Metrics = { ...noMetrics, wechatCall: (api, result) => void calls.push([api, result]) };

  beforeAll(async () => {
    server = createServer((req, res) => ANSWERS[req.url ?? '']?.(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    calls = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['/token', '0'],
    ['/image', '0'],
    ['/quota', '45011'],
    ['/gateway', 'http_5xx'],
    ['/garbage', 'bad_response'],
    ['/slow', 'timeout'],
  ])('counts %s as errcode %s', async (path, result) => {
    const http = new WeChatHttp(base, 150, metrics);
    await http.call('stable_token', { method: 'GET', url: path }).catch(() => undefined);
    expect(calls).toEqual([['stable_token', result]]);
  });

  it('counts a WeChat that cannot be reached as network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const http = new WeChatHttp(`http://127.0.0.1:${port}`, 1000, metrics);
    await expect(http.call('jscode2session', { method: 'GET', url: '/token' })).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
    expect(calls).toEqual([['jscode2session', 'network']]);
  });
});
