import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { AppError, RequestAborted } from '../errors';

// Written whole, then the socket destroyed, as Node's own handler does: ending gracefully
// would wait on a client that may still be sending what cannot be parsed. The 431 has no
// body because the request line (a HEAD, whose answer must have none) was never read.
const BAD_REQUEST = rawResponse(new RequestAborted());
const HEADERS_TOO_LARGE = `HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n`;

function rawResponse(refusal: AppError): string {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  return (
    `HTTP/1.1 ${refusal.status} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * What a connection gets when Node's HTTP parser cannot read it: broken chunked framing,
 * junk after a request, a Content-Length and Transfer-Encoding together, headers too
 * large. Node's default answers a bare 400 even while the app is still writing a
 * response on that connection, so a scan or confirm that already happened would lose its
 * answer. Here a response in progress is finished first; otherwise the client gets the
 * contract's JSON error. Either way it is the client's fault: logged at info.
 */
export function answerClientErrors(server: Server, log: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    log.info({ errorCode: error.code }, 'unreadable request');
    const pending = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    // A request whose body was read whole (junk came after it) still gets its answer.
    if (pending && !pending.writableFinished && pending.req.complete) {
      if (!pending.headersSent) pending.setHeader('Connection', 'close');
      pending.once('close', () => socket.destroy());
      return;
    }
    if (!socket.writable || pending?.headersSent || error.code === 'ECONNRESET') return void socket.destroy();
    // Mid-body (or between requests) the parser cannot go on: say why and close. A body
    // reader still waiting sees the connection end and answers REQUEST_ABORTED to nobody.
    socket.write(error.code === 'HPE_HEADER_OVERFLOW' ? HEADERS_TOO_LARGE : BAD_REQUEST);
    socket.destroy();
  });
}
