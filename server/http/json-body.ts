import type { Context } from 'koa';
import { InvalidJson, PayloadTooLarge } from '../errors';
import { readRawBody } from './raw-body';

/** The contract's request-body limit. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Reads the request body as JSON, refusing more than BODY_LIMIT_BYTES without buffering
 * it (413) and anything that does not parse (400). An empty body is `{}`: every field the
 * contract makes optional may be left out together.
 */
export async function readJson(ctx: Context): Promise<unknown> {
  const raw = await readRawBody(ctx.req, BODY_LIMIT_BYTES);
  if (raw === undefined) {
    // The rest is never read, so the connection cannot carry another request.
    ctx.set('Connection', 'close');
    throw new PayloadTooLarge();
  }
  const text = raw.trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJson();
  }
}
