import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/** A server the load generator talks to: its URL (for ws) and the HTTP client of its connections. */
export interface Endpoint {
  url: string;
  http: HttpClient;
}

/** How a request fails when the connection it was written to had already been closed by the server. */
const STALE_CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE']);

/**
 * The load generator's HTTP: node:http over keep-alive connections, so a timed request
 * never includes a TCP handshake and the client spends as little CPU as it can.
 *
 * A kept-alive connection that sat idle for the server's keepAliveTimeout (Node's 5 s) is
 * closed by the server; if this process was busy (a thousand sockets opening) it may write
 * its next request onto that connection before reading the server's FIN, and the request
 * fails with `socket hang up` or `read ECONNRESET` though the server never read it. Such a
 * request is sent again, as Node's documentation advises (`request.reusedSocket`); a
 * failure on a fresh connection is the caller's to see.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Resolves with the whole response, whatever its status; throws only when the connection fails. */
  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const withBody =
      payload === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
    return this.attempt(method, path, payload, withBody);
  }

  /** A JSON request that must answer `expected`; anything else throws with the status. */
  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    expected: number,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await this.send(method, path, body, headers);
    if (response.status !== expected) throw new UnexpectedStatus(method, path, response);
    return JSON.parse(response.body.toString('utf8')) as T;
  }

  close(): void {
    this.agent.destroy();
  }

  private attempt(method: string, path: string, payload: string | undefined, headers: Record<string, string>): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request({ agent: this.agent, host: this.host, port: this.port, method, path, headers }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // The failed connection is destroyed, so each resend takes another one or a new one.
        if (req.reusedSocket && !answered && STALE_CONNECTION_ERRORS.has(error.code ?? '')) {
          resolve(this.attempt(method, path, payload, headers));
        } else {
          reject(error);
        }
      });
      req.end(payload);
    });
  }
}

export class UnexpectedStatus extends Error {
  constructor(
    method: string,
    path: string,
    readonly response: HttpResponse,
  ) {
    super(`${method} ${path} answered ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
    this.name = 'UnexpectedStatus';
  }
}
