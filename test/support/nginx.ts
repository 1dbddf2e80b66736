import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { neededService } from './needed-service';
import { freePort } from './server-process';
import { tempDir } from './temp-dir';

/**
 * Debian's nginx in front of test instances, configured by the deployment's own site file
 * (deploy/nginx/mp-scan-login.conf), rendered for the test: its upstream `server` lines
 * become the given ports, its `listen` lines one loopback port, and when asked the socket
 * location's timeouts a shorter value and its commented TLS lines live ones (a test
 * certificate, another loopback port). Everything else is the file as shipped. The
 * file is included from a main configuration that keeps pid, logs and temp paths in a
 * temporary directory, so the machine's own nginx (and its default site) is never used.
 */

export const NGINX_PATH = '/usr/sbin/nginx';
export const NGINX_HINT = 'nginx is missing: apt-get install -y nginx';
export const NGINX_SITE = join(__dirname, '..', '..', 'deploy', 'nginx', 'mp-scan-login.conf');

export interface Upstream {
  port: number;
  /** Only used while every other instance is unavailable: lets a test know which one serves. */
  backup?: boolean;
}

export interface SiteOptions {
  listenPort: number;
  upstreams: Upstream[];
  /** proxy_read_timeout and proxy_send_timeout of the socket's location, in seconds. */
  socketTimeoutSeconds?: number;
  /** The file's commented TLS lines, uncommented: https on `port` with this certificate. */
  tls?: { port: number; certificate: string; key: string };
}

/** `describe` that needs nginx: failing when CI=true and it is missing, skipped (saying why) otherwise. */
export function describeWithNginx(name: string, body: () => void): void {
  const skip = () => describe.skip(name, body);
  if (neededService(name, 'nginx', existsSync(NGINX_PATH) ? undefined : NGINX_HINT, skip)) describe(name, body);
}

/** Replaces every match of `pattern`: the first by `first`, the others by nothing. */
function replaceAll(text: string, pattern: RegExp, what: string, first: (match: RegExpExecArray) => string): string {
  let seen = 0;
  const rendered = text.replace(pattern, (...args) => {
    seen += 1;
    if (seen > 1) return '';
    const match = args.slice(0, -2) as unknown as RegExpExecArray;
    return first(match);
  });
  if (seen === 0) throw new Error(`${NGINX_SITE} has no ${what} any more: update test/support/nginx.ts`);
  return rendered;
}

/** The site file with the test's ports (and socket timeouts); see the file's header. */
export function renderSite(site: string, options: SiteOptions): string {
  const upstream = /^([ \t]*)server[ \t]+[\w.:[\]-]+:\d+([^;\n]*);[ \t]*\n/gm;
  let rendered = replaceAll(site, upstream, 'upstream server line', ([, indent, parameters]) =>
    options.upstreams
      .map(({ port, backup }) => `${indent}server 127.0.0.1:${port}${parameters}${backup ? ' backup' : ''};\n`)
      .join(''),
  );
  rendered = replaceAll(rendered, /^([ \t]*)listen[ \t][^;\n]*;[ \t]*\n/gm, 'listen line', ([, indent]) =>
    `${indent}listen 127.0.0.1:${options.listenPort};\n`,
  );
  const seconds = options.socketTimeoutSeconds;
  if (seconds !== undefined) {
    const timeouts = /(proxy_(?:read|send)_timeout)[ \t]+\w+;/g;
    if ((rendered.match(timeouts) ?? []).length !== 2) throw new Error(`${NGINX_SITE}: expected the socket's two timeouts`);
    rendered = rendered.replace(timeouts, (_all, directive: string) => `${directive} ${seconds}s;`);
  }
  return options.tls ? withTls(rendered, options.tls) : rendered;
}

/** Uncomments the TLS lines as an operator would, with the test's port and certificate. */
function withTls(site: string, tls: NonNullable<SiteOptions['tls']>): string {
  let rendered = replaceAll(site, /^([ \t]*)# listen[ \t][^;\n]*443([^;\n]*);[ \t]*\n/gm, 'TLS listen line', ([, indent, rest]) =>
    `${indent}listen 127.0.0.1:${tls.port}${rest};\n`,
  );
  for (const [directive, path] of [['ssl_certificate', tls.certificate], ['ssl_certificate_key', tls.key]]) {
    const line = new RegExp(`^([ \\t]*)# ${directive}[ \\t][^;\\n]*;`, 'gm');
    rendered = replaceAll(rendered, line, directive, ([, indent]) => `${indent}${directive} ${path};`);
  }
  return replaceAll(rendered, /^([ \t]*)# (if \(\$scheme = http\)[^\n]*)$/gm, 'https redirect', ([, indent, rule]) => `${indent}${rule}`);
}

function mainConfig(dir: string): string {
  return `pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_processes 1;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/mp-scan-login.conf;
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One nginx process on a port of its own; `stop()` ends it and removes its directory. */
export class Nginx {
  private constructor(
    readonly port: number,
    /** Where it answers https, when started with `tls`. */
    readonly tlsPort: number | undefined,
    private readonly child: ChildProcess,
    private readonly dir: { path: string; remove(): void },
  ) {}

  /** Starts nginx on `listenPort` (default: a free one) and resolves once it accepts connections. */
  static async start(options: Omit<SiteOptions, 'listenPort'> & { listenPort?: number }): Promise<Nginx> {
    const port = options.listenPort ?? (await freePort());
    const dir = tempDir('mp-scan-login-nginx-');
    // Run as root, nginx's workers are `nobody`: they must reach the temp paths inside.
    chmodSync(dir.path, 0o755);
    writeFileSync(join(dir.path, 'mp-scan-login.conf'), renderSite(readFileSync(NGINX_SITE, 'utf8'), { ...options, listenPort: port }));
    writeFileSync(join(dir.path, 'nginx.conf'), mainConfig(dir.path));
    const args = ['-p', dir.path, '-e', join(dir.path, 'error.log'), '-c', join(dir.path, 'nginx.conf'), '-g', 'daemon off;'];
    const child = spawn(NGINX_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const nginx = new Nginx(port, options.tls?.port, child, dir);
    const deadline = Date.now() + 10_000;
    // The pid file is written once nginx holds its ports: a port answering before that may be someone else's.
    const pidFile = join(dir.path, 'nginx.pid');
    while (!(existsSync(pidFile) && (await accepts(port)))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        const log = nginx.errorLog();
        await nginx.stop();
        throw new Error(`nginx did not start on port ${port}:\n${output}${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return nginx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** What nginx wrote to its error log (its own words on upstreams it gave up on). */
  errorLog(): string {
    const file = join(this.dir.path, 'error.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      await exited;
    }
    this.dir.remove();
  }
}
