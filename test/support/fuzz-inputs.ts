import fc from 'fast-check';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { connect, Socket } from 'node:net';
import WebSocket from 'ws';
import type { Clock } from '../../server/core/clock';
import { startTestServer, type TestServer } from './test-server';

/**
 * Shared pieces of the property-based fuzz (test/server/http/fuzz.test.ts,
 * test/server/ws/ws-fuzz.test.ts): the seed and run bounds, a test server whose log can be
 * read, raw HTTP clients that can lie and abort, the checks every answer must pass, and
 * the generators of odd input.
 */

// ---------------------------------------------------------------------------------------
// Seed and bounds

/** Fixed, so `npm test` is repeatable; `FUZZ_SEED=<n>` explores (and replays) others. */
export const DEFAULT_FUZZ_SEED = 0x5ca1ab1e;
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_FUZZ_SEED;
/** `FUZZ_RUNS_SCALE=10` runs ten times as many inputs per property (a longer local soak). */
const RUNS_SCALE = process.env.FUZZ_RUNS_SCALE ? Number(process.env.FUZZ_RUNS_SCALE) : 1;
/** A property stops (and still reports what it found) after this long, within the jest timeout. */
export const PROPERTY_TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 20_000);

export function runs(numRuns: number): number {
  return Math.max(1, Math.round(numRuns * RUNS_SCALE));
}

/**
 * fc.check with the fixed seed; on failure throws with the seed, the replay path and the
 * shrunk counterexample, so `FUZZ_SEED=<seed>` reproduces it.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<Ts>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, {
    seed: FUZZ_SEED,
    numRuns: runs(numRuns),
    interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
    markInterruptAsFailure: false,
    includeErrorInReport: true,
  });
  if (process.env.FUZZ_VERBOSE) {
    console.log(`fuzz property "${name}": ${details.numRuns} runs, ${details.numSkips} skipped, interrupted ${details.interrupted}, seed ${FUZZ_SEED}`);
  }
  if (details.failed) {
    const report = fc.defaultReportMessage(details) ?? 'failed';
    throw new Error(`fuzz property "${name}" failed (FUZZ_SEED=${FUZZ_SEED}, replay path ${details.counterexamplePath ?? "-"})\n${report}`);
  }
}

// ---------------------------------------------------------------------------------------
// A test server whose log the fuzz can read

export interface LogLine {
  level: number;
  msg?: string;
  requestId?: string;
  method?: string;
  path?: string;
  status?: number;
  errorCode?: string;
  err?: { type?: string; message?: string; code?: string; stack?: string };
  [key: string]: unknown;
}

/** Every line the server logs, parsed. */
export class LogTap {
  readonly lines: LogLine[] = [];
  private readonly byRequest = new Map<string, LogLine[]>();

  write(text: string): void {
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      const line = JSON.parse(raw) as LogLine;
      this.lines.push(line);
      if (typeof line.requestId === 'string') {
        const list = this.byRequest.get(line.requestId) ?? [];
        list.push(line);
        this.byRequest.set(line.requestId, list);
      }
    }
  }

  /** Lines at error level or worse since line number `since`. */
  errorsSince(since: number): LogLine[] {
    return this.lines.slice(since).filter((line) => line.level >= 50);
  }

  linesOf(requestId: string): LogLine[] {
    return this.byRequest.get(requestId) ?? [];
  }

  /** The summary line ("request") of a request, once it has finished; undefined after `timeoutMs`. */
  async requestLine(requestId: string, timeoutMs: number): Promise<LogLine | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.linesOf(requestId).find((l) => l.msg === 'request');
      if (line || Date.now() >= deadline) return line;
      await sleep(5);
    }
  }
}

export interface FuzzServer extends TestServer {
  host: string;
  port: number;
  logs: LogTap;
}

/**
 * The test server of test/support/test-server.ts, its log lines (info and up) kept in a
 * LogTap, so a property can see how the server itself judged a request it could not
 * answer (an aborted upload: the log is the only witness).
 */
export async function startFuzzServer(env: Record<string, string> = {}, clock?: Clock): Promise<FuzzServer> {
  const logs = new LogTap();
  const server = await startTestServer(env, clock, (line) => logs.write(JSON.stringify(line)));
  const { hostname, port } = new URL(server.url);
  return { ...server, host: hostname, port: Number(port), logs };
}

/**
 * The fuzz reaches the handlers instead of meeting 429s (the test server lifts every
 * limit), and the simulator's own WeChat quotas, which would answer 503
 * WECHAT_QUOTA_EXCEEDED legitimately, are off.
 */
export const LIFTED_LIMITS: Record<string, string> = { WECHAT_SIMULATOR_QUOTAS: 'false' };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------
// Clients

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A reply, or the connection ended without one (`dropped`: its error code). */
export type Outcome = ({ kind: 'reply' } & Reply) | { kind: 'dropped'; error: string };

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent with a Content-Length. */
  body?: Buffer | string;
  /** Sent with Transfer-Encoding: chunked, one chunk each. */
  chunks?: Buffer[];
}

/** One request on its own connection (no keep-alive agent), through node:http. */
export function send(server: { host: string; port: number }, call: HttpCall, timeoutMs = 5000): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    let req: ReturnType<typeof httpRequest>;
    const headers = { ...call.headers };
    // node:http sends a GET/HEAD/DELETE/OPTIONS body unframed (no Content-Length), which the
    // server reads as a second, junk request; frame it, as every real client does.
    if (call.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(call.body));
    }
    try {
      req = httpRequest({
        host: server.host,
        port: server.port,
        method: call.method,
        path: call.path,
        headers,
        agent: false,
      });
    } catch (error) {
      // The generators only make what node:http accepts; this is a bug of the test.
      throw new Error(`node:http refused the generated request: ${(error as Error).message}`);
    }
    const timer = setTimeout(() => {
      req.destroy();
      done({ kind: 'dropped', error: 'TIMEOUT' });
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        done({ kind: 'reply', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        done({ kind: 'dropped', error: error.code ?? error.message });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ kind: 'dropped', error: error.code ?? error.message });
    });
    if (call.chunks) {
      for (const chunk of call.chunks) if (chunk.length > 0) req.write(chunk);
      req.end();
    } else {
      req.end(call.body);
    }
  });
}

export interface RawReply extends Reply {
  /** The whole raw head, for reports. */
  head: string;
}

export interface RawExchange {
  /** Every final (non-1xx) response read off the connection, in order. */
  replies: RawReply[];
  /** True once a "100 Continue" arrived. */
  continued: boolean;
  error?: string;
  raw: Buffer;
}

export interface RawPlan {
  /** Written in order; `gapMs` apart. */
  parts: Buffer[];
  gapMs?: number;
  /** Wait for "100 Continue" after the first part (it carries `Expect: 100-continue`). */
  awaitContinue?: boolean;
  /** After the last part: half-close, reset the connection, or wait for the server to close. */
  finish: 'end' | 'destroy' | 'wait';
  /** How long to wait for the server's answer and close. */
  waitMs?: number;
}

/** A request written byte for byte on a raw TCP socket: for lies node:http will not tell. */
export function rawExchange(server: { host: string; port: number }, plan: RawPlan): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket: Socket = connect(server.port, server.host);
    const received: Buffer[] = [];
    let error: string | undefined;
    let finished = false;
    let onContinue: (() => void) | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(received);
      const parsed = parseResponses(raw);
      resolve({ ...parsed, error, raw });
    };
    const timer = setTimeout(finish, (plan.waitMs ?? 1500) + (plan.gapMs ?? 0) * plan.parts.length + 2000);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (onContinue && Buffer.concat(received).includes('HTTP/1.1 100 Continue\r\n')) {
        const wake = onContinue;
        onContinue = undefined;
        wake();
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', finish);
    socket.on('connect', async () => {
      try {
        for (let i = 0; i < plan.parts.length; i++) {
          if (finished || socket.destroyed) return;
          socket.write(plan.parts[i]);
          if (i === 0 && plan.awaitContinue) {
            await new Promise<void>((wake) => {
              onContinue = wake;
              setTimeout(wake, 1000);
            });
          } else if (plan.gapMs) {
            await sleep(plan.gapMs);
          }
        }
        if (finished || socket.destroyed) return;
        if (plan.finish === 'end') socket.end();
        else if (plan.finish === 'destroy') {
          // Give the server's parser the bytes before the connection goes.
          await sleep(plan.gapMs ?? 0);
          socket.resetAndDestroy();
        }
      } catch (e) {
        error = (e as Error).message;
      }
    });
  });
}

/** The responses on a raw connection: status, headers, body (Content-Length or chunked). */
export function parseResponses(raw: Buffer): { replies: RawReply[]; continued: boolean } {
  const replies: RawReply[] = [];
  let continued = false;
  let offset = 0;
  while (offset < raw.length) {
    const end = raw.indexOf('\r\n\r\n', offset);
    if (end < 0) break;
    const head = raw.subarray(offset, end).toString('latin1');
    const [statusLine, ...headerLines] = head.split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!match) break;
    const status = Number(match[1]);
    const headers: IncomingHttpHeaders = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    offset = end + 4;
    if (status >= 100 && status < 200) {
      if (status === 100) continued = true;
      continue;
    }
    let body: Buffer;
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = raw.subarray(offset, offset + length);
      offset += length;
    } else if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = raw.indexOf('\r\n', offset);
        if (lineEnd < 0) break;
        const size = parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
        offset = lineEnd + 2;
        if (!(size > 0)) {
          offset += 2;
          break;
        }
        parts.push(raw.subarray(offset, offset + size));
        offset += size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      body = raw.subarray(offset);
      offset = raw.length;
    }
    replies.push({ status, headers, body, head });
  }
  return { replies, continued };
}

// ---------------------------------------------------------------------------------------
// What every answer must be

const ERROR_CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
/** What a leaked stack trace or internal detail looks like in a body. */
const LEAK = /\n\s+at |\bat [\w.<>]+ \(|\.[jt]sx?:\d+:\d+|node:internal|node_modules|\/work\//;

/** Answers from Node's own HTTP parser (no Koa, so no X-Request-Id): what statuses it may give. */
export const PARSER_STATUSES = new Set([400, 408, 413, 414, 431, 505]);

/**
 * The problems with one answer, as readable strings (empty: fine). An answer from the app
 * (it carries X-Request-Id) that is an error must be the contract's JSON error; one from
 * Node's parser (a request so malformed that Koa never saw it) must at least be a 4xx.
 */
export function replyProblems(reply: Reply, method = 'GET'): string[] {
  const problems: string[] = [];
  const text = reply.body.toString('utf8');
  const shown = `${reply.status} ${text.slice(0, 300)}`;
  if (reply.status >= 500) problems.push(`status ${reply.status} (>= 500): ${shown}`);
  if (LEAK.test(text)) problems.push(`body leaks internals: ${shown}`);
  const fromApp = reply.headers['x-request-id'] !== undefined;
  if (!fromApp) {
    if (!PARSER_STATUSES.has(reply.status)) problems.push(`answer without X-Request-Id (not from the app): ${shown}`);
    return problems;
  }
  if (reply.status >= 400 && method !== 'HEAD') {
    const type = String(reply.headers['content-type'] ?? '');
    if (!type.startsWith('application/json')) problems.push(`error answer is not JSON (${type}): ${shown}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`error body does not parse: ${shown}`);
      return problems;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error !== 'object' || error === null) problems.push(`error body has no {error}: ${shown}`);
    else {
      if (typeof error.code !== 'string' || !ERROR_CODE.test(error.code)) {
        problems.push(`error.code is not SCREAMING_SNAKE: ${shown}`);
      }
      if (typeof error.message !== 'string' || error.message === '') problems.push(`error.message missing: ${shown}`);
    }
  }
  return problems;
}

/** The parsed JSON body of a reply, or undefined. */
export function jsonOf(reply: Reply): any {
  try {
    return JSON.parse(reply.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The error code of a contract error answer. */
export function errorCodeOf(reply: Reply): string | undefined {
  return jsonOf(reply)?.error?.code;
}

/** How a request log line went wrong, if it did (the server's own view of the request). */
export function logProblems(logs: LogTap, requestId: string, line: LogLine | undefined): string[] {
  const problems: string[] = [];
  if (!line) problems.push(`request ${requestId} never finished (no "request" log line): a hung handler`);
  else if ((line.status ?? 0) >= 500) {
    problems.push(`request ${requestId} logged as ${line.status} ${line.method} ${line.path}`);
  }
  for (const l of logs.linesOf(requestId)) {
    if (l.level >= 50) problems.push(`request ${requestId} logged at error: ${l.msg} ${l.err?.code ?? ''} ${l.err?.message ?? ''}`);
  }
  return problems;
}

export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'dropped') return `dropped (${outcome.error})`;
  return `${outcome.status} ${outcome.body.toString('utf8').slice(0, 200)}`;
}

// ---------------------------------------------------------------------------------------
// Generators

/**
 * Placeholders the generators put where a real value belongs; the test swaps them for the
 * real ticket id, secret, scan token or WeChat code of the run (see `fill`).
 */
export const REAL = {
  ticketId: '@@TICKET_ID@@',
  secret: '@@SECRET@@',
  scanToken: '@@SCAN_TOKEN@@',
  code: '@@CODE@@',
  appid: '@@APPID@@',
  appSecret: '@@APP_SECRET@@',
  accessToken: '@@ACCESS_TOKEN@@',
  jwt: '@@JWT@@',
} as const;

export type RealValues = Partial<Record<keyof typeof REAL, string>>;

/** Replaces the placeholders in `text` with the run's real values (unknown ones stay as junk). */
export function fill(text: string, values: RealValues): string {
  let out = text;
  for (const [key, marker] of Object.entries(REAL)) {
    const value = values[key as keyof typeof REAL];
    if (value !== undefined && out.includes(marker)) out = out.split(marker).join(value);
  }
  return out;
}

/** `arb` with probability `p`, else null (fc.option's `freq` is the odds of null, the other way round). */
export function sometimes<T>(arb: fc.Arbitrary<T>, p: number): fc.Arbitrary<T | null> {
  const yes = Math.max(1, Math.round(p * 100));
  return fc.oneof({ weight: 100 - yes, arbitrary: fc.constant(null) }, { weight: yes, arbitrary: arb });
}

/** Strings people and attackers send: empty, control, RTL, NUL, formats, injections. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\t',
  '\u0000',
  '\u0000\u0000\u0000',
  '\r\n',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u202e\u202d',
  '\ufeff',
  '\uffff',
  'null',
  'undefined',
  'true',
  'NaN',
  '-0',
  '1e309',
  '0x10',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%s%s%s%n',
  '${jndi:ldap://x}',
  '{{7*7}}',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'http://',
  'https://example.com/' + 'a'.repeat(1100),
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  'ثم نفس سقطت',
  '👩‍👩‍👧‍👦',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗',
  '\u0007\u001b[31m',
  'AAAAAAAAAAAAAAAAAAAAAA',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
];

const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 8,
});

/** Odd strings of every kind and size, up to ~20 KB (beyond the 16 KB body limit). */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  { weight: 1, arbitrary: loneSurrogates },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'é', '中', '😀', '\u0000', '\\', '"', '%'), fc.integer({ min: 60, max: 20_000 }))
      .map(([unit, n]) => unit.repeat(n)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...Object.values(REAL)) },
);

/** Any JSON value, and JSON-ish values from arbitrary JS values. */
export const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withBoxedValues: true }),
  oddString,
  fc.constantFrom(0, -1, 1.5, 1047, 1e21, -1e308, Number.MAX_SAFE_INTEGER + 2, true, false, null, [], {}, [null], { '': '' }),
);

/** JSON.stringify that never throws (fc.anything may make what JSON cannot hold). */
export function toJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    return text === undefined ? 'undefined' : text;
  } catch {
    return String(value);
  }
}

/**
 * A body that is almost right: the valid `base`, with one field dropped, replaced by a
 * wrong value, or joined by an unknown one; sometimes nested twice.
 */
export function mutatedObject(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  const once = (value: Record<string, unknown>) =>
    fc.oneof(
      fc.constant(value),
      keys.length ? fc.constantFrom(...keys).map((k) => omit(value, k)) : fc.constant(value),
      keys.length
        ? fc.tuple(fc.constantFrom(...keys), anyJsonValue).map(([k, v]) => ({ ...value, [k]: v }))
        : fc.constant(value),
      fc.tuple(oddString, anyJsonValue).map(([k, v]) => ({ ...value, [k]: v })),
      fc.constant({ ...value, ...JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') }),
    );
  return once(base).chain((first) => fc.oneof({ weight: 3, arbitrary: fc.constant(first) }, { weight: 1, arbitrary: once(first) }));
}

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** Deeply nested JSON (up to 10,000 levels: unclosed it fits in 16 KB, closed it does not), inside a field or bare. */
export const deepNesting: fc.Arbitrary<string> = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1000, max: 10_000 }), fc.constant(10_000)),
    open: fc.constantFrom('[', '{"a":', '[{"a":', '{"profile":'),
    core: fc.constantFrom('1', '"x"', 'null', '[]', '{}', ''),
    closed: fc.boolean(),
    field: fc.constantFrom(undefined, 'launchScene', 'scanToken', 'code', 'profile', 'user', 'appid', 'secret', 'scene'),
  })
  .map(({ depth, open, core, closed, field }) => {
    const close = open === '[' ? ']' : open === '[{"a":' ? '}]' : '}';
    const units = Math.max(1, Math.floor(depth / open.length));
    const nested = open.repeat(units) + core + (closed ? close.repeat(units) : '');
    return field ? `{"${field}":${nested}}` : nested;
  });

/** Byte sequences that are not UTF-8: overlong, surrogates, truncated, stray continuation, 0xFF. */
const BAD_UTF8 = [
  [0xc0, 0x80],
  [0xc0, 0xae],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xbf],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc3],
  [0x00],
].map((bytes) => Buffer.from(bytes));

/** UTF-8 text with invalid byte sequences spliced in. */
export const badUtf8Bytes: fc.Arbitrary<Buffer> = fc
  .array(fc.oneof(fc.constantFrom(...BAD_UTF8), fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => Buffer.from(s))), {
    minLength: 1,
    maxLength: 20,
  })
  .map((parts) => Buffer.concat(parts));

/** A JSON-looking body for `base` with invalid UTF-8 inside a string, a key, or around it. */
export function badUtf8Body(base: Record<string, unknown>): fc.Arbitrary<Buffer> {
  const keys = Object.keys(base);
  return fc
    .record({
      bad: badUtf8Bytes,
      where: fc.constantFrom('value', 'key', 'bare', 'bom', 'after'),
      key: keys.length ? fc.constantFrom(...keys) : fc.constant('x'),
    })
    .map(({ bad, where, key }) => {
      const valid = Buffer.from(JSON.stringify(base));
      switch (where) {
        case 'value': {
          const rest = JSON.stringify(omit(base, key)).slice(1);
          return Buffer.concat([Buffer.from(`{"${key}":"`), bad, Buffer.from(`"${rest === '}' ? '}' : ',' + rest}`)]);
        }
        case 'key':
          return Buffer.concat([Buffer.from('{"'), bad, Buffer.from(`":1,`), valid.subarray(1)]);
        case 'bom':
          return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid]);
        case 'after':
          return Buffer.concat([valid, bad]);
        default:
          return bad;
      }
    });
}

/** A request body of any kind: JSON of odd values, near-valid objects, garbage, nesting, bad UTF-8. */
export function bodyFor(base: Record<string, unknown>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 4, arbitrary: mutatedObject(base).map((v) => Buffer.from(toJson(v))) },
    { weight: 2, arbitrary: anyJsonValue.map((v) => Buffer.from(toJson(v))) },
    { weight: 1, arbitrary: oddString.map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: mutatedObject(base).chain((v) => truncated(toJson(v))) },
    { weight: 1, arbitrary: deepNesting.map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: badUtf8Body(base) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a=1&b=2', '{}{}', '{"a":1}x', '\u0000{}', '{"__proto__":{"x":1}}').map((s) => Buffer.from(s)) },
  );
}

function truncated(text: string): fc.Arbitrary<Buffer> {
  return fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => Buffer.from(text.slice(0, n)));
}

/** A header value node:http will send: any text, as UTF-8 bytes read as latin1, controls replaced. */
export function headerSafe(value: string): string {
  return Buffer.from(value, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')
    .slice(0, 8000);
}

const junkIp = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  fc.constantFrom(
    'unknown',
    '::ffff:1.2.3.4',
    '1.2.3.4:80',
    '[::1]:443',
    '999.1.1.1',
    '1.2.3',
    '127.0.0.1',
    '10.0.0.1',
    'fe80::1%eth0',
    '0',
    '',
    'localhost',
    'Your own computer - safe to confirm',
  ),
  oddString,
);

/** Odd X-Forwarded-For: lists, junk, huge. */
export const forwardedFor: fc.Arbitrary<string> = fc.oneof(
  junkIp,
  fc.array(junkIp, { minLength: 2, maxLength: 6 }).map((list) => list.join(', ')),
  fc.integer({ min: 100, max: 1500 }).map((n) => Array.from({ length: n }, (_, i) => `10.0.${i >> 8 & 255}.${i & 255}`).join(',')),
);

/** An Authorization header: junk, near-misses, and the run's real credential (`credential`) garbled or not. */
export function authorization(credential: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(`Bearer ${credential}`),
    fc.constantFrom(
      `bearer ${credential}`,
      `Bearer   ${credential}   `,
      `Bearer\t${credential}`,
      `Bearer ${credential}x`,
      `Bearer ${credential} ${credential}`,
      `Basic ${credential}`,
      `${credential}`,
      'Bearer',
      'Bearer ',
      'Bearer null',
      'Bearer undefined',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      'Bearer eyJhbGciOiJIUzI1NiJ9.e30.' + 'A'.repeat(43),
    ),
    oddString.map((s) => `Bearer ${s}`),
    oddString,
  );
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/vnd.api+json',
  '*/*',
  '',
  ';;;',
];

/** A set of request headers: any of the ones the server reads, with odd values; `credential` is the real one. */
export function headersArb(credential: string = REAL.secret): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        authorization: authorization(credential),
        'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), oddString),
        'x-forwarded-for': forwardedFor,
        'x-real-ip': junkIp,
        'x-forwarded-proto': fc.constantFrom('https', 'http', 'gopher', ''),
        'x-forwarded-host': oddString,
        'user-agent': fc.oneof(
          oddString,
          fc.constantFrom(
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
            'curl/8.0',
            'Mozilla/5.0 ' + '('.repeat(3000),
          ),
        ),
        'x-request-id': oddString,
        accept: fc.constantFrom('*/*', 'application/json', 'text/html', 'image/*', '', 'x/y;q=abc'),
        'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*;q=0', 'zz'),
        cookie: oddString,
        origin: fc.oneof(fc.constantFrom('null', 'https://evil.example', 'http://localhost'), oddString),
        range: fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=99999999999-', 'bytes=a-b', 'lines=1-2'),
        'if-none-match': oddString,
        'if-modified-since': fc.constantFrom('Thu, 01 Jan 1970 00:00:00 GMT', 'yesterday', '0', ''),
        'x-http-method-override': fc.constantFrom('DELETE', 'PUT', 'GET'),
      },
      { requiredKeys: [] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, headerSafe(v)])));
}

/** Path segments: real names, traversal, percent-encoding junk, odd text percent-encoded. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'api',
      'login',
      'tickets',
      'qrcode',
      'scan',
      'confirm',
      'cancel',
      'ws',
      'me',
      'healthz',
      '__wechat__',
      'cgi-bin',
      'stable_token',
      'token',
      'wxa',
      'getwxacodeunlimit',
      'sns',
      'jscode2session',
      'sim',
      'login',
      'faults',
      'miniapp',
      'index.html',
      'assets',
      REAL.ticketId,
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '',
      '%2e%2e',
      '%2E%2E%2F',
      '..%2f..%2f..%2fetc%2fpasswd',
      '%00',
      '%',
      '%%',
      '%zz',
      '%E0%A4%A',
      '%C0%AE%C0%AE',
      '%ff%fe',
      '%ED%A0%80',
      '%u002e',
      '%252e%252e',
      '~',
      ';',
      ';jsessionid=1',
      '%2F',
      '\\..\\',
      '*',
      '%0d%0aSet-Cookie:x=1',
      'a'.repeat(300),
      'AAAAAAAAAAAAAAAAAAAAAA',
      'ZZZZZZZZZZZZZZZZZZZZZZ',
    ),
  },
  { weight: 1, arbitrary: oddString.map(percentEncode) },
);

/** Percent-encodes every byte outside a conservative set (lone surrogates become U+FFFD's bytes). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9._~!$&'()*+,;=:@-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** A query string: WeChat's parameter names and junk, repeated keys, brackets, encodings. */
export const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('appid', 'secret', 'grant_type', 'js_code', 'access_token', 'a[b]', '__proto__', 'constructor', 'x', ''),
        oddString.map(percentEncode),
      ),
      fc.oneof(
        fc.constantFrom(
          REAL.appid,
          REAL.appSecret,
          REAL.accessToken,
          REAL.code,
          'client_credential',
          'authorization_code',
          '',
          '%',
          '%zz',
        ),
        oddString.map(percentEncode),
      ),
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v, withValue]) => (withValue ? `${k}=${v}` : k)).join('&'));

/** A path anywhere: made of segments, optionally with a query, `//`, or a trailing slash. */
export const anyPath: fc.Arbitrary<string> = fc
  .record({
    segments: fc.array(pathSegment, { minLength: 0, maxLength: 7 }),
    query: sometimes(queryString, 0.3),
    slash: fc.constantFrom('', '/', '//'),
  })
  .map(({ segments, query, slash }) => `/${segments.join('/')}${slash}${query === null ? '' : `?${query}`}`);

/** The contract's routes, their ticket id sometimes garbled. */
export const ROUTES: { method: string; path: string }[] = [
  { method: 'POST', path: '/api/login/tickets' },
  { method: 'GET', path: `/api/login/tickets/${REAL.ticketId}` },
  { method: 'GET', path: `/api/login/tickets/${REAL.ticketId}/qrcode` },
  { method: 'POST', path: `/api/login/tickets/${REAL.ticketId}/scan` },
  { method: 'POST', path: `/api/login/tickets/${REAL.ticketId}/confirm` },
  { method: 'POST', path: `/api/login/tickets/${REAL.ticketId}/cancel` },
  { method: 'GET', path: '/api/me' },
  { method: 'GET', path: '/healthz' },
  { method: 'POST', path: '/__wechat__/cgi-bin/stable_token' },
  { method: 'GET', path: '/__wechat__/cgi-bin/token' },
  { method: 'POST', path: '/__wechat__/wxa/getwxacodeunlimit' },
  { method: 'GET', path: '/__wechat__/sns/jscode2session' },
  { method: 'POST', path: '/__wechat__/sim/login' },
  { method: 'POST', path: '/__wechat__/sim/faults' },
  { method: 'DELETE', path: '/__wechat__/sim/faults' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/miniapp/' },
  { method: 'GET', path: '/api/login/ws' },
];

/** A garbled ticket id: the real one changed a little, or junk. */
export const ticketIdVariant: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(REAL.ticketId) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      `${REAL.ticketId}x`,
      `${REAL.ticketId}%20`,
      `${REAL.ticketId}%00`,
      `${REAL.ticketId}/`,
      `${REAL.ticketId}/..`,
      `%20${REAL.ticketId}`,
      `${REAL.ticketId};x`,
      `${REAL.ticketId}%2F..`,
      `..%2F${REAL.ticketId}`,
      'AAAAAAAAAAAAAAAAAAAAAA',
      '0000000000000000000000',
      '',
      '%',
      '%E0%A4%A',
      'a'.repeat(5000),
    ),
  },
  { weight: 1, arbitrary: oddString.map(percentEncode) },
);

export const METHODS: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'PURGE', 'SEARCH', 'LINK', 'MKCOL', 'QUERY', 'REPORT', 'LOCK') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom('get', 'Post', 'M-SEARCH', 'X_Y') },
);

/** A body the route expects, as the base that `bodyFor` mutates. */
export const VALID_BODIES: Record<string, Record<string, unknown>> = {
  '/api/login/tickets': {},
  scan: { launchScene: 1047 },
  confirm: { scanToken: REAL.scanToken, code: REAL.code, profile: { nickname: 'Alice', avatarUrl: 'https://example.com/a.png' } },
  cancel: { scanToken: REAL.scanToken },
  stable_token: { grant_type: 'client_credential', appid: REAL.appid, secret: REAL.appSecret, force_refresh: false },
  getwxacodeunlimit: {
    scene: REAL.ticketId,
    page: 'pages/confirm/index',
    check_path: true,
    env_version: 'release',
    width: 430,
    auto_color: false,
    line_color: { r: 0, g: 0, b: 0 },
    is_hyaline: false,
  },
  'sim/login': { user: 'alice', appid: REAL.appid },
  'sim/faults': { api: 'token', errcode: 40001, times: 1 },
};

/** The valid body that fits `path` (by its last segment), or `{}`. */
export function validBodyFor(path: string): Record<string, unknown> {
  const bare = path.split('?')[0];
  for (const [key, body] of Object.entries(VALID_BODIES)) if (bare.endsWith(key)) return body;
  return {};
}

// ---------------------------------------------------------------------------------------
// WebSocket

export interface WsFrame {
  data: Buffer;
  binary: boolean;
}

export interface WsSession {
  opened: boolean;
  /** The close the server sent (code 1006 when the connection just dropped); undefined: still open. */
  closed?: { code: number; reason: string };
  messages: string[];
  error?: string;
}

/**
 * Opens a socket at `url`, sends `frames` in order, and waits until the server closes it or
 * `quietMs` pass without anything arriving (after at least one message, or `openWaitMs`
 * with none); then terminates it and waits for the close.
 */
export async function wsSession(url: string, frames: WsFrame[], options: { quietMs?: number; openWaitMs?: number } = {}): Promise<WsSession> {
  const socket = new WebSocket(url);
  const session: WsSession = { opened: false, messages: [] };
  let wake: () => void = () => undefined;
  let lastActivity = Date.now();
  const closed = new Promise<void>((resolve) =>
    socket.on('close', (code, reason) => {
      session.closed ??= { code, reason: reason.toString() };
      resolve();
      wake();
    }),
  );
  socket.on('message', (data) => {
    session.messages.push(data.toString());
    lastActivity = Date.now();
    wake();
  });
  socket.on('error', (error) => (session.error = error.message));
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  session.opened = opened;
  if (!opened) return session;
  for (const frame of frames) {
    if (socket.readyState !== WebSocket.OPEN) break;
    socket.send(frame.data, { binary: frame.binary });
  }
  lastActivity = Date.now();
  const quietMs = options.quietMs ?? 150;
  const openWaitMs = options.openWaitMs ?? 2000;
  while (session.closed === undefined) {
    const limit = session.messages.length > 0 ? quietMs : openWaitMs;
    const left = lastActivity + limit - Date.now();
    if (left <= 0) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, left);
    });
  }
  const stillOpen = session.closed === undefined;
  if (stillOpen) socket.terminate();
  await closed;
  if (stillOpen) session.closed = undefined;
  return session;
}
