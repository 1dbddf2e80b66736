import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { decodeQr } from '../support/qr';
import { PhoneSide } from '../support/phone-side';
import { until } from '../support/server-process';
import { WsClient } from '../support/ws-client';

/** One of `examples/` running as its own process, as `node <file>` would run it. */
export class ExampleSite {
  private output = '';
  private readonly exited: Promise<number | null>;
  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk) => (this.output += chunk));
    child.stderr?.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(file: string, cwd: string, dataDir: string): Promise<{ site: ExampleSite; url: string }> {
    const child = spawn(process.execPath, [file], {
      cwd,
      env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'development' },
    });
    const site = new ExampleSite(child);
    await until(() => /listening on \S+/.test(site.output) || child.exitCode !== null, 30_000);
    const url = /listening on (\S+)/.exec(site.output)?.[1];
    if (!url) throw new Error(`${file} did not start:\n${site.output}`);
    return { site, url };
  }

  /** SIGTERM, as a process manager stops it; resolves with the exit code once it exited by itself. */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  log(): string {
    return this.output;
  }
}

/** The site's own socket at /live echoes; resolves with the answer to `text`. */
export function echo(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/live`);
    socket.once('error', reject);
    socket.once('open', () => socket.send(text));
    socket.once('message', (data) => {
      resolve(data.toString());
      socket.close();
    });
  });
}

/**
 * The browser's and the phone's parts of a login under `prefix`: a ticket, its code
 * decoded from the image as a camera would, scan and confirm on the phone, and the token
 * the waiting page receives over the ws.
 */
export async function scanLogin(url: string, prefix: string, user: string): Promise<{ token: string; imageType: string | null }> {
  const created = await fetch(`${url}${prefix}/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const ticket = (await created.json()) as { ticketId: string; secret: string; qrcodeUrl: string };
  const image = await fetch(new URL(ticket.qrcodeUrl, url));
  const scene = new URL(decodeQr(Buffer.from(await image.arrayBuffer())).replace('#/', '')).searchParams.get('scene');
  const page = await new WsClient(url.replace(/^http/, 'ws'), `${prefix}/ws`).open();
  page.subscribe(ticket.ticketId, ticket.secret);
  await new PhoneSide(url, prefix).confirm(scene!, { user, profile: { nickname: user } });
  let message = await page.message(0);
  for (let next = 1; message.status !== 'confirmed'; next++) message = await page.message(next);
  page.close();
  return { token: String(message.token), imageType: image.headers.get('content-type') };
}

/** POST /auth/session with the one-time code, as the login page does; the cookie it set, if any. */
export async function redeem(url: string, code: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ code }),
  });
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  return { status: response.status, cookie };
}
