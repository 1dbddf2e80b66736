import type { IncomingMessage } from 'node:http';
import { RequestAborted } from '../errors';

/**
 * The request body as text, or undefined once it passes `limit` bytes (the rest is left
 * unread: callers answer 413 and close the connection). A body that never completes (the
 * client aborted, or its chunked framing broke) rejects with RequestAborted, the client's
 * fault, never our 500. The simulator uses it raw because WeChat answers by what the bytes are.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  if (req.complete && req.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onBroken);
      req.off('close', onBroken);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onBroken = () => {
      stop();
      reject(new RequestAborted());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onBroken);
    req.on('close', onBroken);
  });
}
