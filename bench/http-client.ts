import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/**
 * The load generator's HTTP: node:http over keep-alive connections, so a timed request
 * never includes a TCP handshake and the client spends as little CPU as it can.
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
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          method,
          path,
          headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
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
