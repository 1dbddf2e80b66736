import type { Context } from 'koa';
import { InvalidJson, PayloadTooLarge } from '../errors';

/** The contract's request-body limit. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Reads the request body as JSON, refusing more than BODY_LIMIT_BYTES without buffering
 * it (413) and anything that does not parse (400). An empty body is `{}`: every field the
 * contract makes optional may be left out together.
 */
export async function readJson(ctx: Context): Promise<unknown> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > BODY_LIMIT_BYTES) throw new PayloadTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) {
      // Stop reading; the connection closes after the 413 rather than draining the rest.
      ctx.set('Connection', 'close');
      throw new PayloadTooLarge();
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJson();
  }
}
