import Router from '@koa/router';
import { PayloadTooLarge, WeChatTimeout, WeChatUnavailable } from '../../errors';
import { readRawBody } from '../../http/raw-body';

const BODY_LIMIT = 16 * 1024;

/**
 * The phone side of a shared simulator (`npm run simulator`). The H5 build's wx.login posts
 * to `/__wechat__/sim/login` of the instance that served it, which may be any instance and
 * the only host the phone can reach; this passes the call on to the one simulator, so a
 * code from any instance is known to all of them. Nothing else of the simulator is exposed
 * here: tokens and fault injection stay on its own port.
 */
export function simLoginRelay(apiBase: string, timeoutMs: number): Router {
  const router = new Router({ prefix: '/__wechat__' });
  router.post('/sim/login', async (ctx) => {
    const body = await readRawBody(ctx.req, BODY_LIMIT);
    if (body === undefined) {
      ctx.set('Connection', 'close');
      throw new PayloadTooLarge();
    }
    let answer: Response;
    try {
      answer = await fetch(`${apiBase}/sim/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw (error as Error).name === 'TimeoutError' ? new WeChatTimeout() : new WeChatUnavailable();
    }
    // The simulator's own answer (a code, or its 4xx with a code) is the phone's to read.
    ctx.status = answer.status;
    ctx.type = 'application/json';
    ctx.body = await answer.text();
  });
  return router;
}
