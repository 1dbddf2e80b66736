import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}

export interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * A real HTTP server on an ephemeral loopback port that gives the next scripted answer to
 * each request and records what it was sent, for testing a client's handling of answers
 * the real server gives only under rare conditions (a proxy's HTML error page, a 500).
 */
export class ScriptedServer {
  readonly requests: Recorded[] = [];
  private readonly answers: Answer[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          contentType: request.headers['content-type'],
          body: raw === '' ? undefined : JSON.parse(raw),
        });
        const answer = this.answers.shift() ?? { status: 500, body: 'no answer scripted' };
        response.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
        response.end(answer.body);
      });
    });
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  answer(status: number, body: unknown, contentType?: string): void {
    this.answers.push({ status, body: typeof body === 'string' ? body : JSON.stringify(body), contentType });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
