import Database from 'better-sqlite3';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ManualClock } from '../../../server/core/clock';
import { DATABASE_FILE } from '../../../server/server';
import { SIMULATED_APPID, SIMULATED_SECRET } from '../../../server/wechat/simulator/simulated-app';
import {
  anyJsonValue,
  anyPath,
  badUtf8Body,
  bodyFor,
  checkProperty,
  deepNesting,
  describeOutcome,
  errorCodeOf,
  fill,
  FuzzServer,
  headersArb,
  HttpCall,
  jsonOf,
  LIFTED_LIMITS,
  logProblems,
  METHODS,
  oddString,
  Outcome,
  PROPERTY_TIME_LIMIT_MS,
  queryString,
  rawExchange,
  sometimes,
  RawPlan,
  REAL,
  RealValues,
  replyProblems,
  ROUTES,
  send,
  startFuzzServer,
  ticketIdVariant,
  toJson,
  VALID_BODIES,
  validBodyFor,
} from '../../support/fuzz-inputs';

/**
 * Property-based fuzz of every HTTP endpoint (issue 8): thousands of generated requests —
 * wrong types, huge and odd strings, deep nesting, bad UTF-8, oversized and chunked bodies,
 * lying Content-Lengths, aborted uploads, junk methods, paths and headers — against the
 * real server. Properties: never a 5xx (answered or logged), every error is the contract's
 * JSON with a SCREAMING_SNAKE code and no stack, a refused request leaves its ticket (and
 * the user table) exactly as it was, and afterwards the server is up and a full login works.
 *
 * Seeded (FUZZ_SEED overrides, and is printed on failure) and bounded (FUZZ_RUNS_SCALE).
 */

const BODY_LIMIT = 16 * 1024;
const TTL_SECONDS = 60;
const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

jest.setTimeout(PROPERTY_TIME_LIMIT_MS + 15_000);

describe('HTTP fuzz', () => {
  const clock = new ManualClock(Date.now());
  let server: FuzzServer;
  let db: Database.Database;
  /** Real values every run may use: a live ticket, a session token, WeChat credentials. */
  const shared: RealValues = { appid: SIMULATED_APPID, appSecret: SIMULATED_SECRET };
  let requestNumber = 0;

  beforeAll(async () => {
    server = await startFuzzServer({ ...LIFTED_LIMITS, TRUST_PROXY: 'true', TICKET_TTL_SECONDS: String(TTL_SECONDS) }, clock);
    db = new Database(join(server.dataDir, DATABASE_FILE), { readonly: true });
    const token = await call('POST', '/__wechat__/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: SIMULATED_APPID,
      secret: SIMULATED_SECRET,
    });
    shared.accessToken = token.access_token;
    shared.jwt = await fullLogin();
    const t = await ticket('pending');
    shared.ticketId = t.id;
    shared.secret = t.secret;
  });

  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  /** After every property: up, and a whole login still goes through. */
  afterEach(async () => {
    await server.simulator.clearFaults();
    const health = await send(server, { method: 'GET', path: '/healthz' });
    expect(describeOutcome(health)).toMatch(/^200 /);
    const token = await fullLogin();
    const me = await send(server, { method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(describeOutcome(me)).toMatch(/^200 /);
  });

  // -------------------------------------------------------------------------------------
  // Helpers

  const nextRequestId = () => `fuzz-${++requestNumber}`;

  /** A well-formed JSON call that must succeed; its parsed body. */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const outcome = await send(server, {
      method,
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (outcome.kind !== 'reply' || outcome.status >= 300) {
      throw new Error(`${method} ${path} answered ${describeOutcome(outcome)}`);
    }
    return jsonOf(outcome);
  }

  async function simCode(user = 'alice'): Promise<string> {
    return (await call('POST', '/__wechat__/sim/login', { user })).code;
  }

  async function fullLogin(): Promise<string> {
    const t = await ticket('confirmed');
    const view = await call('GET', `/api/login/tickets/${t.id}`, undefined, { authorization: `Bearer ${t.secret}` });
    if (view.status !== 'confirmed' || typeof view.token !== 'string') {
      throw new Error(`full login: polling answered ${JSON.stringify(view)}`);
    }
    return view.token;
  }

  type State = 'pending' | 'scanned' | 'confirmed' | 'consumed' | 'cancelled' | 'expired';

  interface RealTicket {
    id: string;
    secret: string;
    scanToken?: string;
  }

  /** A fresh ticket brought into `state` the way clients do it. */
  async function ticket(state: State, createHeaders: Record<string, string> = {}): Promise<RealTicket> {
    const created = await call('POST', '/api/login/tickets', undefined, createHeaders);
    const t: RealTicket = { id: created.ticketId, secret: created.secret };
    if (state === 'pending') return t;
    if (state === 'expired') {
      clock.advance((TTL_SECONDS + 1) * 1000);
      return t;
    }
    t.scanToken = (await call('POST', `/api/login/tickets/${t.id}/scan`, {})).scanToken;
    if (state === 'scanned') return t;
    if (state === 'cancelled') {
      await call('POST', `/api/login/tickets/${t.id}/cancel`, { scanToken: t.scanToken });
      return t;
    }
    await call('POST', `/api/login/tickets/${t.id}/confirm`, { scanToken: t.scanToken, code: await simCode() });
    if (state === 'confirmed') return t;
    await call('GET', `/api/login/tickets/${t.id}`, undefined, { authorization: `Bearer ${t.secret}` });
    return t;
  }

  /**
   * What a request may change about a ticket, as the store holds it, and the row counts a
   * confirm writes. Not `version`: a refused confirm reserves and releases (two bumps, no
   * change), and time-based housekeeping (expire, forgetting a delivered token) is no one's request.
   */
  interface Snapshot {
    state: string;
    confirming: boolean;
    scanned: boolean;
    launchScene?: number;
    userId?: string;
    users: number;
    logins: number;
  }

  async function snapshot(id: string): Promise<Snapshot> {
    const found = await server.service.find(id).then(
      (t) => ({ state: t.state as string, confirming: t.confirming !== undefined, scanned: t.scanTokenHash !== undefined, launchScene: t.launchScene, userId: t.userId }),
      (error: Error) => ({ state: `missing (${error.name})`, confirming: false, scanned: false }),
    );
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { ...found, users: count('users'), logins: count('login_audit') };
  }

  /** What the secret holder's poll says (without side effects for states other than confirmed). */
  async function pollStatus(t: RealTicket): Promise<string> {
    const outcome = await send(server, {
      method: 'GET',
      path: `/api/login/tickets/${t.id}`,
      headers: { authorization: `Bearer ${t.secret}` },
    });
    if (outcome.kind !== 'reply') return describeOutcome(outcome);
    return outcome.status === 200 ? String(jsonOf(outcome)?.status) : `${outcome.status} ${errorCodeOf(outcome)}`;
  }

  /** Placeholders → real values; a fresh WeChat code only when the request wants one. */
  async function realise(request: HttpCall, values: RealValues): Promise<HttpCall> {
    const wanted = [request.path, JSON.stringify(request.headers ?? {}), request.body?.toString('latin1') ?? ''].join('\n');
    const all: RealValues = { ...shared, ...values };
    if (wanted.includes(REAL.code) && all.code === undefined) all.code = await simCode(`fuzz-${requestNumber}`);
    const headers = request.headers
      ? Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, fill(v, all)]))
      : undefined;
    let body = request.body;
    if (body !== undefined) {
      const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
      // Placeholders are ASCII: swap them at the byte level so invalid UTF-8 survives.
      body = buffer.includes('@@') ? replaceBytes(buffer, all) : buffer;
    }
    return { ...request, path: fill(request.path, all), headers, body };
  }

  function replaceBytes(buffer: Buffer, values: RealValues): Buffer {
    return Buffer.from(fill(buffer.toString('latin1'), Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v === undefined ? v : Buffer.from(v).toString('latin1')]),
    )), 'latin1');
  }

  /**
   * Sends one generated request and returns what is wrong with how it was handled: the
   * answer (status, error shape, leaks) and the server's own log of it.
   */
  async function exchange(request: HttpCall): Promise<{ outcome: Outcome; problems: string[] }> {
    const requestId = nextRequestId();
    const mark = server.logs.lines.length;
    const outcome = await send(server, { ...request, headers: { ...request.headers, 'x-request-id': requestId } });
    const problems: string[] = [];
    if (outcome.kind === 'reply') {
      problems.push(...replyProblems(outcome, request.method));
      if ((outcome.status === 204 || outcome.status === 200) && request.path.includes('sim/faults')) {
        // A generated body that happened to be a valid fault: take it back at once.
        server.simulator.clearFaults();
      }
    } else {
      problems.push(`no answer: ${outcome.error}`);
    }
    // A request Node's parser refused never reaches the app; otherwise it is logged.
    if (outcome.kind !== 'reply' || outcome.headers['x-request-id'] !== undefined) {
      problems.push(...logProblems(server.logs, requestId, await server.logs.requestLine(requestId, 2000)));
    }
    for (const line of server.logs.errorsSince(mark)) {
      if (line.requestId !== requestId) problems.push(`error logged: ${line.msg} ${line.err?.message ?? ''}`);
    }
    return { outcome, problems };
  }

  function show(request: HttpCall): string {
    const body = request.body === undefined ? '' : ` body(${request.body.length}B)=${JSON.stringify(request.body.toString('utf8').slice(0, 300))}`;
    return `${request.method} ${request.path.slice(0, 300)} headers=${JSON.stringify(request.headers ?? {}).slice(0, 400)}${body}`;
  }

  function expectNoProblems(problems: string[], request: HttpCall): void {
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n  request: ${show(request)}`);
  }

  // -------------------------------------------------------------------------------------
  // Properties

  const routeRequest: fc.Arbitrary<HttpCall> = fc
    .record({
      route: fc.constantFrom(...ROUTES),
      method: sometimes(METHODS, 0.25),
      id: ticketIdVariant,
      query: sometimes(queryString, 0.3),
      headers: headersArb(),
      auth: fc.constantFrom(REAL.secret, REAL.jwt, REAL.accessToken),
      bodyOnAnyMethod: fc.boolean(),
    })
    .chain((r) =>
      bodyFor(validBodyFor(r.route.path)).map((bodyBytes) => {
        const method = r.method ?? r.route.method;
        const path = r.route.path.replace(REAL.ticketId, r.id) + (r.query === null ? '' : `?${r.query}`);
        const headers = Object.fromEntries(
          Object.entries(r.headers).map(([k, v]) => [k, k === 'authorization' ? v.split(REAL.secret).join(r.auth) : v]),
        );
        const withBody = r.bodyOnAnyMethod || ['POST', 'PUT', 'PATCH'].includes(method);
        return { method, path, headers, body: withBody ? bodyBytes : undefined };
      }),
    );

  const wildRequest: fc.Arbitrary<HttpCall> = fc
    .record({
      method: METHODS,
      path: anyPath,
      headers: headersArb(),
      body: sometimes(bodyFor({}), 0.5),
    })
    .map(({ method, path, headers, body }) => ({ method, path, headers, body: body ?? undefined }));

  it('answers any method, path, headers and body anywhere without a 5xx, in the contract error format', async () => {
    await checkProperty(
      'any request anywhere',
      fc.asyncProperty(fc.oneof(routeRequest, wildRequest), async (generated) => {
        const request = await realise(generated, {});
        const { outcome, problems } = await exchange(request);
        // HEAD answers what GET would, without the body (not for a poll: GET may hand over the token).
        if (request.method === 'GET' && outcome.kind === 'reply' && !(outcome.status === 200 && jsonOf(outcome)?.token)) {
          const head = await exchange({ ...request, method: 'HEAD', body: undefined });
          problems.push(...head.problems);
          const getBody = request.body === undefined ? outcome : (await exchange({ ...request, body: undefined })).outcome;
          if (head.outcome.kind === 'reply' && getBody.kind === 'reply') {
            if (head.outcome.status !== getBody.status) problems.push(`HEAD answered ${head.outcome.status}, GET ${describeOutcome(getBody)}`);
            if (head.outcome.body.length > 0) problems.push(`HEAD answered with a body: ${describeOutcome(head.outcome)}`);
          }
        }
        expectNoProblems(problems, request);
      }),
      900,
    );
  });

  type Endpoint = 'poll' | 'qrcode' | 'scan' | 'confirm' | 'cancel';
  const ENDPOINT_METHOD: Record<Endpoint, string> = { poll: 'GET', qrcode: 'GET', scan: 'POST', confirm: 'POST', cancel: 'POST' };

  /** What a 2xx on `endpoint` may have done to a ticket that was in `before`. */
  function allowedAfterSuccess(endpoint: Endpoint, method: string, before: Snapshot, after: Snapshot): boolean {
    const same = JSON.stringify(after) === JSON.stringify(before);
    if (same) return true;
    if (!['GET', 'POST'].includes(method)) return false;
    switch (endpoint) {
      case 'scan':
        return before.state === 'pending' && after.state === 'scanned' && after.users === before.users;
      case 'confirm':
        return before.state === 'scanned' && after.state === 'confirmed' && after.logins === before.logins + 1 && after.users - before.users <= 1;
      case 'cancel':
        return before.state === 'scanned' && after.state === 'cancelled' && after.users === before.users;
      case 'poll':
        return before.state === 'confirmed' && after.state === 'consumed' && after.users === before.users;
      default:
        return false;
    }
  }

  /** The body as readJson sees it: does it parse at all? */
  function parses(body: Buffer | undefined): boolean {
    if (body === undefined) return true;
    const text = body.toString('utf8').trim();
    if (text === '') return true;
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  it('refuses bad requests to real tickets in every state without touching them', async () => {
    const states: State[] = ['pending', 'scanned', 'confirmed', 'consumed', 'cancelled', 'expired'];
    const endpoints: Endpoint[] = ['poll', 'qrcode', 'scan', 'confirm', 'cancel'];
    const caseArb = fc
      .record({
        state: fc.constantFrom(...states),
        endpoint: fc.constantFrom(...endpoints),
        id: ticketIdVariant,
        method: sometimes(fc.oneof(METHODS, fc.constant('HEAD')), 0.3),
        headers: headersArb(),
        createHeaders: headersArb().map((h) => ({ 'user-agent': h['user-agent'] ?? 'fuzz', ...(h['x-forwarded-for'] ? { 'x-forwarded-for': h['x-forwarded-for'] } : {}) })),
        noBody: fc.boolean(),
      })
      .chain((c) =>
        bodyFor(VALID_BODIES[c.endpoint] ?? {}).map((body) => ({ ...c, body })),
      );
    await checkProperty(
      'real tickets, real states',
      fc.asyncProperty(caseArb, async (c) => {
        const t = await ticket(c.state, c.createHeaders);
        const method = c.method ?? ENDPOINT_METHOD[c.endpoint];
        const suffix = c.endpoint === 'poll' ? '' : `/${c.endpoint}`;
        const generated: HttpCall = {
          method,
          path: `/api/login/tickets/${c.id}${suffix}`,
          headers: c.headers,
          body: c.noBody && method === 'GET' ? undefined : c.body,
        };
        const request = await realise(generated, { ticketId: t.id, secret: t.secret, scanToken: t.scanToken ?? 'no-scan-token-yet' });
        // node:http upper-cases the method it sends.
        const sentMethod = method.toUpperCase();
        const pollable = c.state !== 'confirmed';
        const before = await snapshot(t.id);
        const polledBefore = pollable ? await pollStatus(t) : undefined;
        const { outcome, problems } = await exchange(request);
        const after = await snapshot(t.id);
        const polledAfter = pollable ? await pollStatus(t) : undefined;

        const status = outcome.kind === 'reply' ? outcome.status : 0;
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        if (status < 200 || status >= 300) {
          if (changed) problems.push(`refused (${describeOutcome(outcome)}) but the ticket changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
          if (polledBefore !== polledAfter) problems.push(`refused but polling changed: ${polledBefore} → ${polledAfter}`);
        } else if (!allowedAfterSuccess(c.endpoint, sentMethod, before, after)) {
          problems.push(`${status} on ${c.endpoint} made an impossible change: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
        // Input is validated before state is looked at: unparseable is 400 whatever the state.
        const readsBody = ['scan', 'confirm', 'cancel'].includes(c.endpoint) && sentMethod === 'POST' && request.path === `/api/login/tickets/${t.id}/${c.endpoint}`;
        const fromApp = outcome.kind === 'reply' && outcome.headers['x-request-id'] !== undefined;
        if (readsBody && fromApp && (request.body?.length ?? 0) <= BODY_LIMIT && !parses(request.body as Buffer | undefined)) {
          if (status !== 400 || errorCodeOf(outcome as never) !== 'INVALID_JSON') problems.push(`unparseable body answered ${describeOutcome(outcome)}, not 400 INVALID_JSON`);
        }
        // Only a syntactically valid IP is ever shown on the phone.
        if (outcome.kind === 'reply' && status === 200 && c.endpoint === 'scan' && jsonOf(outcome)?.status === 'scanned') {
          const ip = jsonOf(outcome)?.requester?.ip;
          if (isIP(String(ip)) === 0) problems.push(`the phone is shown requester ip ${JSON.stringify(ip)} (created with ${JSON.stringify(c.createHeaders)})`);
        }
        expectNoProblems(problems, request);
      }),
      450,
    );
  });

  it('shows the phone only a valid IP whatever X-Forwarded-For and X-Real-IP say', async () => {
    await checkProperty(
      'requester ip',
      fc.asyncProperty(headersArb(), async (headers) => {
        const creation: HttpCall = { method: 'POST', path: '/api/login/tickets', headers };
        const created = await exchange(creation);
        expectNoProblems(created.problems, creation);
        if (created.outcome.kind !== 'reply' || created.outcome.status !== 201) return;
        const id = jsonOf(created.outcome).ticketId;
        const scan = await call('POST', `/api/login/tickets/${id}/scan`, {});
        if (isIP(String(scan.requester?.ip)) === 0) {
          throw new Error(`the phone is shown requester ip ${JSON.stringify(scan.requester?.ip)}\n  creation: ${show(creation)}`);
        }
      }),
      150,
    );
  });

  it('holds the 16 KB body limit exactly, by Content-Length or chunked, in bytes not characters', async () => {
    const targets = [
      `/api/login/tickets/${UNKNOWN_ID}/scan`,
      `/api/login/tickets/${UNKNOWN_ID}/confirm`,
      `/api/login/tickets/${UNKNOWN_ID}/cancel`,
      '/__wechat__/cgi-bin/stable_token',
      '/__wechat__/wxa/getwxacodeunlimit',
      '/__wechat__/sim/login',
      '/__wechat__/sim/faults',
    ];
    const sizeArb = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: BODY_LIMIT - 40, max: BODY_LIMIT + 40 }) },
      { weight: 1, arbitrary: fc.integer({ min: 40, max: BODY_LIMIT }) },
      { weight: 1, arbitrary: fc.integer({ min: BODY_LIMIT, max: 200_000 }) },
    );
    await checkProperty(
      'body size boundary',
      fc.asyncProperty(
        fc.constantFrom(...targets),
        sizeArb,
        fc.constantFrom('a', 'é', '中', '😀', '\\u00e9'),
        fc.constantFrom('content-length', 'chunked'),
        fc.integer({ min: 1, max: 9000 }),
        async (path, size, unit, framing, chunkSize) => {
          const body = paddedJson(size, unit);
          const request: HttpCall =
            framing === 'chunked'
              ? { method: 'POST', path, headers: { 'content-type': 'application/json' }, chunks: split(body, chunkSize) }
              : { method: 'POST', path, headers: { 'content-type': 'application/json' }, body };
          const requestId = nextRequestId();
          const outcome = await send(server, { ...request, headers: { ...request.headers, 'x-request-id': requestId } });
          const line = await server.logs.requestLine(requestId, 2000);
          const problems = logProblems(server.logs, requestId, line);
          if (outcome.kind === 'reply') problems.push(...replyProblems(outcome, 'POST'));
          const over = body.length > BODY_LIMIT;
          const status = outcome.kind === 'reply' ? outcome.status : line?.status;
          if (over && status !== 413) problems.push(`${body.length} bytes answered ${describeOutcome(outcome)} (logged ${line?.status}), not 413`);
          if (over && outcome.kind === 'reply' && errorCodeOf(outcome) !== 'PAYLOAD_TOO_LARGE') problems.push(`413 without PAYLOAD_TOO_LARGE: ${describeOutcome(outcome)}`);
          if (!over && (status === 413 || outcome.kind !== 'reply')) problems.push(`${body.length} bytes (within the limit) answered ${describeOutcome(outcome)}`);
          expectNoProblems(problems, { ...request, body: Buffer.from(`<${body.length} bytes of ${JSON.stringify(unit)} via ${framing}/${chunkSize}>`) });
        },
      ),
      160,
    );
  });

  /** A JSON object of exactly `size` bytes (when it can be), padded with `unit`. */
  function paddedJson(size: number, unit: string): Buffer {
    const head = '{"launchScene":1047,"user":"alice","pad":"';
    const tail = '"}';
    let pad = '';
    const unitBytes = Buffer.byteLength(unit);
    const room = size - head.length - tail.length;
    pad = unit.repeat(Math.max(0, Math.floor(room / unitBytes)));
    pad += 'x'.repeat(Math.max(0, room - Buffer.byteLength(pad)));
    return Buffer.from(head + pad + tail);
  }

  function split(body: Buffer, size: number): Buffer[] {
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
    return chunks;
  }

  it('survives deep nesting and invalid UTF-8 in every body it reads, leaving the ticket as it was', async () => {
    const targets = ['scan', 'confirm', 'cancel', 'stable_token', 'getwxacodeunlimit', 'sim/login', 'sim/faults'] as const;
    const pathOf = (target: (typeof targets)[number]) =>
      ['scan', 'confirm', 'cancel'].includes(target)
        ? `/api/login/tickets/${REAL.ticketId}/${target}`
        : target.startsWith('sim/')
          ? `/__wechat__/${target}`
          : target === 'stable_token'
            ? '/__wechat__/cgi-bin/stable_token'
            : `/__wechat__/wxa/getwxacodeunlimit?access_token=${REAL.accessToken}`;
    await checkProperty(
      'deep nesting and bad UTF-8',
      fc.asyncProperty(
        fc.constantFrom(...targets).chain((target) =>
          fc.record({
            target: fc.constant(target),
            body: fc.oneof(deepNesting.map((s) => Buffer.from(s)), badUtf8Body(VALID_BODIES[target])),
          }),
        ),
        async ({ target, body }) => {
          const t = await ticket('scanned');
          const request = await realise(
            { method: 'POST', path: pathOf(target), headers: { 'content-type': 'application/json; charset=utf-8' }, body },
            { ticketId: t.id, secret: t.secret, scanToken: t.scanToken },
          );
          const before = await snapshot(t.id);
          const { outcome, problems } = await exchange(request);
          const after = await snapshot(t.id);
          const ok = outcome.kind === 'reply' && outcome.status < 300;
          if (!ok && JSON.stringify(before) !== JSON.stringify(after)) {
            problems.push(`refused but the ticket changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
          }
          expectNoProblems(problems, request);
        },
      ),
      250,
    );
  });

  it("answers the simulator's WeChat endpoints and controls with odd queries and bodies as WeChat would, never a 5xx", async () => {
    /** Mostly one of the valid values (the first is the usual one), sometimes any value, sometimes left out. */
    const field = (...valid: unknown[]) =>
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...valid) },
        { weight: 1, arbitrary: anyJsonValue },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
    const wxacode = fc.record({
      scene: field(REAL.ticketId, 'a', 'x'.repeat(32), 'x'.repeat(33), 'bad scene', '中', "!#$&'()*+,/:;=?@-._~"),
      page: fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(undefined, '', 'pages/confirm/index', 'pages/index/index', '/pages/confirm/index', 'pages/x?y=1', 'pages/other/index') },
        { weight: 1, arbitrary: oddString },
        { weight: 1, arbitrary: fc.integer({ min: 100, max: 8000 }).map((n) => 'p'.repeat(n)) },
      ),
      check_path: field(true, false, 'false', 0),
      env_version: field('release', 'trial', 'develop', 'RELEASE', ''),
      width: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -10, max: 5000 }) }, { weight: 1, arbitrary: fc.constantFrom(1e308, -0, 0.5, undefined) }, { weight: 1, arbitrary: anyJsonValue }),
      auto_color: field(false, true),
      line_color: fc.oneof(
        { weight: 3, arbitrary: fc.record({ r: fc.integer({ min: -5, max: 300 }), g: fc.integer({ min: 0, max: 255 }), b: fc.integer({ min: 0, max: 255 }) }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: anyJsonValue },
      ),
      is_hyaline: field(false, true),
    });
    const stableToken = fc.record({
      grant_type: field('client_credential', 'authorization_code', ''),
      appid: field(REAL.appid, 'wx0000000000000002', ''),
      secret: field(REAL.appSecret, '0'.repeat(32), ''),
      force_refresh: field(false, true),
    });
    const simLogin = fc.record({
      user: fc.oneof(oddString, fc.constantFrom('alice', 'a'.repeat(64), 'a'.repeat(65))),
      appid: field(undefined, REAL.appid, 'wx1'),
    });
    const faults = fc.record({
      api: fc.oneof(fc.constantFrom('nope', 'TOKEN', '', 'stable_token '), anyJsonValue),
      errcode: field(0, -1, 1.5, 2 ** 53, '40001'),
      delayMs: field(-1, 600_001, 1.5, '5'),
      times: field(0, -1, 1_000_001, '1'),
    });
    const request: fc.Arbitrary<HttpCall> = fc.oneof(
      wxacode.chain((body) =>
        sometimes(queryString, 0.25).map((q) => ({
          method: 'POST',
          path: `/__wechat__/wxa/getwxacodeunlimit?${q ?? `access_token=${REAL.accessToken}`}`,
          body: Buffer.from(toJson(body)),
        })),
      ),
      stableToken.map((body) => ({ method: 'POST', path: '/__wechat__/cgi-bin/stable_token', body: Buffer.from(toJson(body)) })),
      simLogin.map((body) => ({ method: 'POST', path: '/__wechat__/sim/login', body: Buffer.from(toJson(body)) })),
      faults.map((body) => ({ method: 'POST', path: '/__wechat__/sim/faults', body: Buffer.from(toJson(body)) })),
      queryString.map((q) => ({ method: 'GET', path: `/__wechat__/cgi-bin/token?${q}` })),
      queryString.map((q) => ({ method: 'GET', path: `/__wechat__/sns/jscode2session?${q}` })),
      fc.constantFrom('stable_token', 'getwxacodeunlimit', 'sim/login', 'sim/faults').chain((target) =>
        bodyFor(VALID_BODIES[target]).map((body) => ({
          method: 'POST',
          path: target.startsWith('sim/') ? `/__wechat__/${target}` : target === 'stable_token' ? '/__wechat__/cgi-bin/stable_token' : `/__wechat__/wxa/getwxacodeunlimit?access_token=${REAL.accessToken}`,
          body,
        })),
      ),
    );
    await checkProperty(
      'simulator endpoints',
      fc.asyncProperty(request, async (generated) => {
        const r = await realise({ ...generated, headers: { 'content-type': 'application/json' } }, {});
        const { outcome, problems } = await exchange(r);
        // WeChat's endpoints answer errors as 200 {errcode, errmsg} with a JSON type.
        if (outcome.kind === 'reply' && outcome.status === 200 && r.path.includes('/__wechat__/') && !r.path.includes('/sim/')) {
          const type = String(outcome.headers['content-type'] ?? '');
          const body = type.startsWith('application/json') ? jsonOf(outcome) : undefined;
          if (!type.startsWith('image/') && !(body && (typeof body.errcode === 'number' || body.access_token || body.openid))) {
            problems.push(`a WeChat answer that is neither an image nor WeChat JSON: ${type} ${describeOutcome(outcome)}`);
          }
        }
        expectNoProblems(problems, r);
      }),
      450,
    );
  });

  it('answers a request that is followed by junk on its connection, or leaves its ticket alone', async () => {
    type Target = 'poll' | 'scan' | 'confirm' | 'cancel';
    const junkArb = fc.oneof(
      fc.constantFrom('{}', '[1', 'x', 'GARBAGE / HTTP/1.1\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', '\u0000', 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
      oddString.filter((s) => s.trim() !== ''),
    );
    await checkProperty(
      'request then junk',
      fc.asyncProperty(fc.constantFrom<Target>('poll', 'scan', 'confirm', 'cancel'), junkArb, async (target, junk) => {
        const state: State = target === 'poll' ? 'confirmed' : target === 'scan' ? 'pending' : 'scanned';
        const t = await ticket(state);
        const body = target === 'poll' ? '' : target === 'scan' ? '{}' : JSON.stringify(target === 'confirm' ? { scanToken: t.scanToken, code: await simCode() } : { scanToken: t.scanToken });
        const requestId = nextRequestId();
        const head = [
          `${target === 'poll' ? 'GET' : 'POST'} /api/login/tickets/${t.id}${target === 'poll' ? '' : `/${target}`} HTTP/1.1`,
          'Host: 127.0.0.1',
          `X-Request-Id: ${requestId}`,
          `Authorization: Bearer ${t.secret}`,
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          '',
          '',
        ].join('\r\n');
        const before = await snapshot(t.id);
        // The client keeps its side open: Node's server supports no half-open connections and
        // aborts a request whose client sent FIN, junk or not (documented Node behaviour).
        const exchanged = await rawExchange(server, { parts: [Buffer.concat([Buffer.from(head + body), Buffer.from(junk)])], finish: 'wait', waitMs: 1000 });
        // The server may still be working on it after the connection is gone.
        const line = await server.logs.requestLine(requestId, 2000);
        const after = await snapshot(t.id);
        const problems = logProblems(server.logs, requestId, line);
        for (const reply of exchanged.replies) problems.push(...replyProblems(reply, 'POST'));
        const first = exchanged.replies[0];
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        if (changed && !(first && first.status >= 200 && first.status < 300 && first.headers['x-request-id'] === requestId)) {
          problems.push(
            `the ${target} took effect (${before.state} → ${after.state}; logged ${line?.status}) but its answer was lost: the client got ${first ? JSON.stringify(first.head) : 'nothing'}`,
          );
        }
        if (problems.length) throw new Error(`${problems.join('\n')}\n  sent: ${JSON.stringify((head + body + junk).slice(0, 500))}`);
      }),
      120,
    );
  });

  // -------------------------------------------------------------------------------------
  // Raw sockets: lies node:http will not tell

  type Scenario =
    | 'chunked-malformed'
    | 'chunked-split'
    | 'chunked-abort'
    | 'chunked-oversize'
    | 'length-short-reset'
    | 'length-short-end'
    | 'length-long'
    | 'length-junk'
    | 'length-and-chunked'
    | 'headers-abort';

  const BAD_CHUNK_SIZES = ['zz', '-1', 'ffffffffffffffffffff', ' 5', '5 ', '0x5', '5;' + '\u0001', '', '+5', '5\n', '1'.repeat(40), '5;a=' + 'b'.repeat(9000)];

  const rawCase = fc.record({
    scenario: fc.constantFrom<Scenario>(
      'chunked-malformed',
      'chunked-split',
      'chunked-abort',
      'chunked-oversize',
      'length-short-reset',
      'length-short-end',
      'length-long',
      'length-junk',
      'length-and-chunked',
      'headers-abort',
    ),
    target: fc.constantFrom(
      `/api/login/tickets/${REAL.ticketId}/scan`,
      `/api/login/tickets/${REAL.ticketId}/confirm`,
      `/api/login/tickets/${REAL.ticketId}/cancel`,
      '/api/login/tickets',
      '/__wechat__/cgi-bin/stable_token',
      `/__wechat__/wxa/getwxacodeunlimit?access_token=${REAL.accessToken}`,
      '/__wechat__/sim/login',
      '/__wechat__/sim/faults',
      `/api/login/tickets/${REAL.ticketId}`,
      '/healthz',
    ),
    body: fc.constantFrom('{"scanToken":"@@SCAN_TOKEN@@","code":"x"}', '{"user":"alice"}', '{"launchScene":1047}', '{}', '{"a":' + '['.repeat(50)),
    badSize: fc.constantFrom(...BAD_CHUNK_SIZES),
    badAt: fc.nat({ max: 3 }),
    splitAt: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
    extension: fc.constantFrom('', ';name=value', ';x', ';' + 'e'.repeat(100)),
    trailer: fc.constantFrom('', 'X-Trailer: 1\r\n', 'Bad Trailer\r\n'),
    lengthLie: fc.integer({ min: 1, max: 100_000 }),
    junkLength: fc.constantFrom('abc', '-1', '1e3', ' 12', '12, 13', '99999999999999999999', '0x10', '+5', '', '5\r\nContent-Length: 7'),
    expect: fc.boolean(),
    gapMs: fc.constantFrom(0, 1, 5),
  });

  function rawPlan(c: RawCase, path: string, body: string, requestId: string): RawPlan {
    const head = (extra: string[]) =>
      Buffer.from([`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', `X-Request-Id: ${requestId}`, 'Content-Type: application/json', ...extra, '', ''].join('\r\n'));
    const bytes = Buffer.from(body);
    const chunked = (pieces: Buffer[]) => Buffer.concat(pieces.map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}${c.extension}\r\n`), p, Buffer.from('\r\n')])));
    const pieces: Buffer[] = [];
    let offset = 0;
    for (const n of c.splitAt) {
      if (offset >= bytes.length) break;
      pieces.push(bytes.subarray(offset, offset + n));
      offset += n;
    }
    if (offset < bytes.length) pieces.push(bytes.subarray(offset));
    const last = Buffer.from(`0\r\n${c.trailer}\r\n`);
    const expect = c.expect ? ['Expect: 100-continue'] : [];
    switch (c.scenario) {
      case 'chunked-malformed': {
        const good = chunked(pieces.slice(0, c.badAt));
        const bad = Buffer.from(`${c.badSize}\r\nabcde\r\n`);
        return { parts: [head(['Transfer-Encoding: chunked', 'Connection: close']), Buffer.concat([good, bad, last])], finish: 'wait', gapMs: c.gapMs };
      }
      case 'chunked-split':
        return { parts: [head(['Transfer-Encoding: chunked', 'Connection: close', ...expect]), ...pieces.map((p) => chunked([p])), last], finish: 'wait', gapMs: c.gapMs, awaitContinue: c.expect };
      case 'chunked-abort':
        return { parts: [head(['Transfer-Encoding: chunked', 'Expect: 100-continue']), chunked(pieces.slice(0, Math.max(1, pieces.length - 1)))], finish: 'destroy', gapMs: Math.max(5, c.gapMs), awaitContinue: true };
      case 'chunked-oversize': {
        const big = Buffer.alloc(4096, 'a');
        const chunks = [Buffer.from('{"pad":"'), ...Array.from({ length: 6 }, () => big)].map((p) => chunked([p]));
        return { parts: [head(['Transfer-Encoding: chunked', 'Connection: close']), Buffer.concat(chunks), last], finish: 'wait' };
      }
      case 'length-short-reset':
        return { parts: [head([`Content-Length: ${bytes.length + c.lengthLie}`, 'Expect: 100-continue']), bytes], finish: 'destroy', gapMs: Math.max(5, c.gapMs), awaitContinue: true };
      case 'length-short-end':
        return { parts: [head([`Content-Length: ${bytes.length + c.lengthLie}`, 'Expect: 100-continue']), bytes], finish: 'end', gapMs: Math.max(5, c.gapMs), awaitContinue: true, waitMs: 1000 };
      case 'length-long': {
        const declared = Math.max(0, bytes.length - (c.lengthLie % (bytes.length + 1)));
        return { parts: [head([`Content-Length: ${declared}`]), Buffer.concat([bytes, Buffer.from('\r\nGARBAGE / HTTP/1.1\r\n\r\n')])], finish: 'end', waitMs: 1000 };
      }
      case 'length-junk':
        return { parts: [head([`Content-Length: ${c.junkLength}`, 'Connection: close']), bytes], finish: 'end', waitMs: 1000 };
      case 'length-and-chunked':
        return { parts: [head([`Content-Length: ${bytes.length}`, 'Transfer-Encoding: chunked', 'Connection: close']), chunked(pieces), last], finish: 'wait' };
      case 'headers-abort': {
        const full = head([`Content-Length: ${bytes.length}`]);
        return { parts: [full.subarray(0, Math.max(1, full.length - c.lengthLie % full.length))], finish: 'destroy', gapMs: 2 };
      }
    }
  }

  type RawCase = typeof rawCase extends fc.Arbitrary<infer T> ? T : never;

  it('answers malformed chunked bodies, lying Content-Lengths and aborted uploads with a 4xx (logged as one), never a 5xx', async () => {
    await checkProperty(
      'raw framing and aborts',
      fc.asyncProperty(rawCase, async (c) => {
        const t = await ticket('scanned');
        const values: RealValues = { ...shared, ticketId: t.id, secret: t.secret, scanToken: t.scanToken };
        const requestId = nextRequestId();
        const path = fill(c.target, values);
        const plan = rawPlan(c, path, fill(c.body, values), requestId);
        const mark = server.logs.lines.length;
        const before = await snapshot(t.id);
        const exchanged = await rawExchange(server, plan);
        const problems: string[] = [];
        for (const reply of exchanged.replies) problems.push(...replyProblems(reply, 'POST'));
        // The app saw the request unless its head was cut or refused by Node's parser.
        const dispatched = !['headers-abort', 'length-junk', 'length-and-chunked'].includes(c.scenario) || server.logs.linesOf(requestId).length > 0;
        if (dispatched) problems.push(...logProblems(server.logs, requestId, await server.logs.requestLine(requestId, 2000)));
        for (const line of server.logs.errorsSince(mark)) if (line.requestId !== requestId) problems.push(`error logged: ${line.msg} ${line.err?.message ?? ''}`);
        const after = await snapshot(t.id);
        const succeeded = exchanged.replies.some((r) => r.status >= 200 && r.status < 300);
        if (!succeeded && JSON.stringify(before) !== JSON.stringify(after)) {
          problems.push(`no success, yet the ticket changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
        if (problems.length > 0) {
          const sent = Buffer.concat(plan.parts).toString('latin1');
          throw new Error(`${problems.join('\n')}\n  scenario ${c.scenario}, finish ${plan.finish}\n  sent: ${JSON.stringify(sent.slice(0, 600))}\n  got: ${JSON.stringify(exchanged.raw.toString('latin1').slice(0, 400))}`);
        }
      }),
      320,
    );
  });
});
