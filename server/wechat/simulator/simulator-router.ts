import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { type AppError, InvalidRequest, PayloadTooLarge } from '../../errors';
import { faultSchema } from './faults';
import { parseJsonObject } from './json-object';
import { readRawBody } from '../../http/raw-body';
import type { WeChatQuery, WeChatReply, WeChatSimulator } from './wechat-simulator';

const BODY_LIMIT = 16 * 1024;

const loginSchema = z.strictObject({
  user: z.string().min(1).max(64),
  appid: z.string().min(1).max(64).optional(),
});

/**
 * WeChat's endpoints under /__wechat__/ on our own port, plus the simulator's controls
 * (sim/login is wx.login for the H5 build; sim/faults is for tests). Mount it before any
 * body parser: it reads bodies raw, as WeChat does. `faults` is off in production: on a
 * public demo anyone could make every other visitor's login fail.
 */
export function simulatorRouter(simulator: WeChatSimulator, { faults }: { faults: boolean }): Router {
  const router = new Router({ prefix: '/__wechat__' });

  router.post('/cgi-bin/stable_token', async (ctx) => {
    const body = await bodyOf(ctx);
    if (body !== undefined) reply(ctx, await simulator.stableToken(body));
  });
  router.get('/cgi-bin/token', async (ctx) => {
    reply(ctx, await simulator.token(queryOf(ctx)));
  });
  router.post('/wxa/getwxacodeunlimit', async (ctx) => {
    const body = await bodyOf(ctx);
    if (body !== undefined) reply(ctx, await simulator.getwxacodeunlimit(queryOf(ctx), body));
  });
  router.get('/sns/jscode2session', async (ctx) => {
    reply(ctx, await simulator.jscode2session(queryOf(ctx)));
  });

  router.post('/sim/login', async (ctx) => {
    const input = await inputOf(ctx, loginSchema);
    if (input === undefined) return;
    ctx.body = { code: simulator.login(input.user, input.appid) };
  });
  if (!faults) return router;
  router.post('/sim/faults', async (ctx) => {
    const fault = await inputOf(ctx, faultSchema);
    if (fault === undefined) return;
    simulator.injectFault(fault);
    ctx.status = 204;
  });
  router.delete('/sim/faults', (ctx) => {
    simulator.clearFaults();
    ctx.status = 204;
  });
  return router;
}

function reply(ctx: Context, answer: WeChatReply): void {
  if ('png' in answer) {
    ctx.type = 'image/png';
    ctx.body = answer.png;
  } else {
    // WeChat answers errors with HTTP 200 too; clients must read errcode.
    ctx.body = answer.json;
  }
}

function queryOf(ctx: Context): WeChatQuery {
  const query: WeChatQuery = {};
  for (const [name, value] of Object.entries(ctx.query)) query[name] = Array.isArray(value) ? value[0] : value;
  return query;
}

/** The raw body, or undefined after answering 413. */
async function bodyOf(ctx: Context): Promise<string | undefined> {
  const body = await readRawBody(ctx.req, BODY_LIMIT);
  if (body === undefined) {
    // The rest of the body is never read, so the connection cannot be reused.
    ctx.set('Connection', 'close');
    fail(ctx, new PayloadTooLarge());
  }
  return body;
}

/** The simulator's own controls speak our API's error format, not WeChat's. */
async function inputOf<T>(ctx: Context, schema: z.ZodType<T>): Promise<T | undefined> {
  const body = await bodyOf(ctx);
  if (body === undefined) return undefined;
  const parsed = schema.safeParse(parseJsonObject(body));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  fail(ctx, new InvalidRequest(`Invalid body. ${problems.join('; ')}`));
  return undefined;
}

function fail(ctx: Context, error: AppError): void {
  ctx.status = error.status;
  ctx.body = { error: { code: error.code, message: error.message } };
}
