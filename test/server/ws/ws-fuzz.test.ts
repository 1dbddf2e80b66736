import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { ManualClock } from '../../../server/core/clock';
import {
  anyJsonValue,
  checkProperty,
  describeOutcome,
  forwardedFor,
  FuzzServer,
  headerSafe,
  jsonOf,
  LIFTED_LIMITS,
  oddString,
  percentEncode,
  PROPERTY_TIME_LIMIT_MS,
  queryString,
  send,
  sometimes,
  startFuzzServer,
  WsFrame,
  wsSession,
} from '../../support/fuzz-inputs';
import { PhoneSide } from '../../support/phone-side';
import { WsClient } from '../../support/ws-client';

/**
 * Property-based fuzz of the page's socket, /api/login/ws (issue 8): fuzzed text and binary
 * frames, subscribe messages with wrong types and real tickets, oversized messages, raw
 * protocol-level frames, and junk upgrade requests. The socket is closed with the
 * contract's code for what was wrong (4400 malformed, 4401 wrong secret, 4404 unknown
 * ticket, 1009 over 4 KB; 1007/1002 for what the WebSocket protocol itself forbids), stays
 * open only after a valid subscribe, never 1011; the server stays up throughout.
 */

const MAX_MESSAGE = 4096;

jest.setTimeout(PROPERTY_TIME_LIMIT_MS + 15_000);

interface RealTicket {
  id: string;
  secret: string;
  status: string;
}

describe('ws fuzz', () => {
  const clock = new ManualClock(Date.now());
  let server: FuzzServer;
  let phone: PhoneSide;
  /** Real tickets in several states, for subscribes that name them. */
  const tickets: RealTicket[] = [];

  beforeAll(async () => {
    server = await startFuzzServer({ ...LIFTED_LIMITS, TRUST_PROXY: '1', TICKET_TTL_SECONDS: '600' }, clock);
    phone = new PhoneSide(server.url);
    const expired = await create();
    clock.advance(601_000);
    tickets.push({ ...expired, status: 'expired' });
    tickets.push({ ...(await create()), status: 'pending' });
    const scanned = await create();
    await phone.scan(scanned.id);
    tickets.push({ ...scanned, status: 'scanned' });
    const cancelled = await create();
    await phone.cancel(cancelled.id);
    tickets.push({ ...cancelled, status: 'cancelled' });
    const used = await create();
    await phone.confirm(used.id);
    const poll = await send(server, { method: 'GET', path: `/api/login/tickets/${used.id}`, headers: { authorization: `Bearer ${used.secret}` } });
    if (poll.kind !== 'reply' || typeof jsonOf(poll)?.token !== 'string') throw new Error(`setup poll: ${describeOutcome(poll)}`);
    tickets.push({ ...used, status: 'confirmed' });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** After every property: up, and a whole login is pushed over a socket. */
  afterEach(async () => {
    const health = await send(server, { method: 'GET', path: '/healthz' });
    expect(describeOutcome(health)).toMatch(/^200 /);
    const t = await create();
    const page = await new WsClient(server.wsUrl).open();
    page.subscribe(t.id, t.secret);
    expect(await page.message(0)).toMatchObject({ type: 'status', status: 'pending' });
    await phone.confirm(t.id);
    const confirmed = await page.message(2);
    expect(confirmed).toMatchObject({ type: 'status', status: 'confirmed', token: expect.any(String) });
    page.close();
    const errors = server.logs.errorsSince(0);
    expect(errors.map((l) => `${l.msg} ${l.err?.message ?? ''}`)).toEqual([]);
  });

  async function create(): Promise<{ id: string; secret: string }> {
    const outcome = await send(server, { method: 'POST', path: '/api/login/tickets' });
    const body = outcome.kind === 'reply' ? jsonOf(outcome) : undefined;
    if (!body?.ticketId) throw new Error(`create: ${describeOutcome(outcome)}`);
    return { id: body.ticketId, secret: body.secret };
  }

  // -------------------------------------------------------------------------------------
  // Generators

  /** Which real ticket a subscribe names (-1: none), and whose secret it brings. */
  interface SubscribeSpec {
    ticket: number;
    secret: 'own' | 'other' | 'junk';
    junkSecret: unknown;
    junkId: unknown;
    type: unknown;
    drop: ('type' | 'ticketId' | 'secret')[];
    extra: Record<string, unknown>;
    padTo: number | null;
    spaces: string;
  }

  const subscribeSpec: fc.Arbitrary<SubscribeSpec> = fc.record({
    ticket: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 4 })),
    secret: fc.constantFrom<'own' | 'other' | 'junk'>('own', 'own', 'other', 'junk'),
    junkSecret: fc.oneof(oddString, anyJsonValue, fc.constantFrom('', 'x'.repeat(512), 'x'.repeat(513))),
    junkId: fc.oneof(
      { weight: 3, arbitrary: fc.oneof(fc.stringMatching(/^[0-9A-Za-z]{22}$/), fc.string({ minLength: 1, maxLength: 128, unit: 'binary' })) },
      { weight: 1, arbitrary: oddString },
      { weight: 1, arbitrary: anyJsonValue },
      { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), 'AAAAAAAAAAAAAAAAAAAAAA') },
    ),
    type: fc.oneof({ weight: 8, arbitrary: fc.constant('subscribe') }, { weight: 1, arbitrary: fc.constantFrom('Subscribe', 'subscribe ', 'status', 'unsubscribe', '') }, { weight: 1, arbitrary: anyJsonValue }),
    drop: sometimes(fc.constantFrom<'type' | 'ticketId' | 'secret'>('type', 'ticketId', 'secret'), 0.15).map((k) => (k === null ? [] : [k])),
    extra: fc.dictionary(oddString, anyJsonValue, { maxKeys: 2 }),
    padTo: sometimes(fc.oneof(fc.integer({ min: MAX_MESSAGE - 16, max: MAX_MESSAGE + 16 }), fc.integer({ min: 100, max: 70_000 })), 0.2),
    spaces: fc.constantFrom('', '', '', ' ', '\n\t ', '\ufeff'),
  });

  function subscribeText(spec: SubscribeSpec): string {
    const own = spec.ticket >= 0 ? tickets[spec.ticket] : undefined;
    const other = tickets[(spec.ticket + 1 + tickets.length) % tickets.length];
    const message: Record<string, unknown> = { ...spec.extra };
    message.type = spec.type;
    message.ticketId = own ? own.id : spec.junkId;
    message.secret = spec.secret === 'own' && own ? own.secret : spec.secret === 'other' ? other.secret : spec.junkSecret;
    for (const key of spec.drop) delete message[key];
    let text = spec.spaces + JSON.stringify(message) + spec.spaces;
    if (spec.padTo !== null) {
      const room = spec.padTo - Buffer.byteLength(text);
      if (room > 0) text = text.replace(/^(\s*)\{/, `$1{"pad":"${'p'.repeat(Math.max(0, room - 9))}",`).replace(',}', '}');
    }
    return text;
  }

  const BAD_UTF8 = [Buffer.from([0xc0, 0x80]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80])];

  const frameArb: fc.Arbitrary<WsFrame> = fc.oneof(
    { weight: 12, arbitrary: subscribeSpec.map((spec) => ({ data: Buffer.from(subscribeText(spec)), binary: false })) },
    { weight: 1, arbitrary: subscribeSpec.map((spec) => ({ data: Buffer.from(subscribeText(spec)), binary: true })) },
    { weight: 2, arbitrary: oddString.map((s) => ({ data: Buffer.from(s), binary: false })) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((s) => ({ data: Buffer.from(s), binary: false })) },
    { weight: 1, arbitrary: anyJsonValue.map((v) => ({ data: Buffer.from(JSON.stringify(v) ?? 'undefined'), binary: false })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6000 }).map((a) => ({ data: Buffer.from(a), binary: true })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(subscribeSpec, fc.constantFrom(...BAD_UTF8), fc.nat())
        .map(([spec, bad, at]) => {
          const text = Buffer.from(subscribeText(spec));
          const i = at % (text.length + 1);
          return { data: Buffer.concat([text.subarray(0, i), bad, text.subarray(i)]), binary: false };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 9000 }).map((depth) => ({ data: Buffer.from('['.repeat(depth) + ']'.repeat(depth)), binary: false })),
    },
  );

  // -------------------------------------------------------------------------------------
  // The oracle: what the contract says one frame does to a fresh socket

  type Expected = { close: number } | { status: string };

  function expected(frame: WsFrame): Expected {
    if (frame.data.length > MAX_MESSAGE) return { close: 1009 };
    if (!frame.binary && !isUtf8(frame.data)) return { close: 1007 };
    if (frame.binary) return { close: 4400 };
    let message: any;
    try {
      message = JSON.parse(frame.data.toString('utf8'));
    } catch {
      return { close: 4400 };
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return { close: 4400 };
    const { type, ticketId, secret } = message;
    if (type !== 'subscribe') return { close: 4400 };
    if (typeof ticketId !== 'string' || ticketId.length < 1 || ticketId.length > 128) return { close: 4400 };
    if (typeof secret !== 'string' || secret.length > 512) return { close: 4400 };
    const ticket = tickets.find((t) => t.id === ticketId);
    if (!ticket) return { close: 4404 };
    if (ticket.secret !== secret) return { close: 4401 };
    return { status: ticket.status };
  }

  const show = (frame: WsFrame) =>
    `${frame.binary ? 'binary' : 'text'} ${frame.data.length}B ${JSON.stringify(frame.data.toString('utf8').slice(0, 300))}`;

  function statusOf(text: string): string | undefined {
    try {
      const message = JSON.parse(text);
      return message?.type === 'status' ? message.status : `not a status message: ${text.slice(0, 100)}`;
    } catch {
      return `not JSON: ${text.slice(0, 100)}`;
    }
  }

  // -------------------------------------------------------------------------------------
  // Properties

  it('closes a socket with the code for what its one message got wrong, or subscribes it; never 1011', async () => {
    const tally = new Map<string, number>();
    await checkProperty(
      'one frame',
      fc.asyncProperty(frameArb, async (frame) => {
        const mark = server.logs.lines.length;
        const session = await wsSession(`${server.wsUrl}/api/login/ws`, [frame], { quietMs: 40 });
        const want = expected(frame);
        const key = 'close' in want ? String(want.close) : want.status;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        const problems: string[] = [];
        if (!session.opened) problems.push(`the upgrade failed: ${session.error}`);
        if ('close' in want) {
          if (session.closed?.code !== want.close) problems.push(`expected close ${want.close}, got ${JSON.stringify(session.closed ?? 'still open')} after ${session.messages.length} messages`);
          if (session.messages.length > 0) problems.push(`messages before the close: ${session.messages.join(' | ').slice(0, 300)}`);
          if (session.closed && session.closed.code >= 4000 && session.closed.reason === '') problems.push(`close ${session.closed.code} without a reason`);
        } else {
          if (session.closed) problems.push(`a valid subscribe was closed: ${JSON.stringify(session.closed)}`);
          if (statusOf(session.messages[0] ?? '') !== want.status) problems.push(`expected status ${want.status}, got ${JSON.stringify(session.messages)}`);
        }
        for (const line of server.logs.errorsSince(mark)) problems.push(`error logged: ${line.msg} ${line.err?.message ?? ''}`);
        if (problems.length) throw new Error(`${problems.join('\n')}\n  frame: ${show(frame)}`);
      }),
      600,
    );
    if (process.env.FUZZ_VERBOSE) console.log(`one frame, expected outcomes: ${JSON.stringify(Object.fromEntries(tally))}`);
  });

  it('handles any sequence of frames on one socket: closed with a code one of them earned, never 1011', async () => {
    await checkProperty(
      'frame sequences',
      fc.asyncProperty(fc.array(frameArb, { minLength: 2, maxLength: 5 }), async (frames) => {
        const mark = server.logs.lines.length;
        const session = await wsSession(`${server.wsUrl}/api/login/ws`, frames, { quietMs: 60 });
        const wants = frames.map(expected);
        // Frames up to the first one that is refused without a lookup may decide the close
        // (a lookup's 4401/4404 may lose the race to a later frame's 4400).
        const firstSync = wants.findIndex((w) => 'close' in w && ![4401, 4404].includes(w.close));
        const decisive = (firstSync < 0 ? wants : wants.slice(0, firstSync + 1)).filter((w): w is { close: number } => 'close' in w);
        const allowed = new Set(decisive.map((w) => w.close));
        const problems: string[] = [];
        if (allowed.size === 0) {
          if (session.closed) problems.push(`only valid subscribes, yet closed: ${JSON.stringify(session.closed)}`);
        } else if (!session.closed || !allowed.has(session.closed.code)) {
          problems.push(`closed ${JSON.stringify(session.closed ?? 'never')}, expected one of ${[...allowed].join(', ')}`);
        }
        if (session.closed?.code === 1011) problems.push('closed with 1011 (internal error)');
        for (const text of session.messages) {
          const status = statusOf(text);
          if (!['pending', 'scanned', 'cancelled', 'expired', 'confirmed'].includes(String(status))) problems.push(`odd message: ${text.slice(0, 200)}`);
        }
        for (const line of server.logs.errorsSince(mark)) problems.push(`error logged: ${line.msg} ${line.err?.message ?? ''}`);
        if (problems.length) throw new Error(`${problems.join('\n')}\n  frames:\n    ${frames.map(show).join('\n    ')}`);
      }),
      200,
    );
  });

  // -------------------------------------------------------------------------------------
  // Raw protocol frames

  interface RawFrame {
    fin: boolean;
    rsv: number;
    opcode: number;
    masked: boolean;
    payload: Buffer;
    /** Declare a different length than the payload has. */
    lengthLie: number | null;
    lengthForm: 'auto' | '16' | '64';
  }

  const rawFrameArb: fc.Arbitrary<RawFrame> = fc.record({
    fin: fc.boolean(),
    rsv: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
    opcode: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
    masked: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    payload: fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.constantFrom(
        Buffer.from('{"type":"subscribe"'),
        Buffer.from(',"ticketId":"x","secret":"y"}'),
        Buffer.from([0x03, 0xe8]),
        Buffer.from([0x03, 0xe7]),
        Buffer.from([0x03, 0xed]),
        Buffer.from([0x0f, 0xa0, 0x68, 0x69]),
        Buffer.from([0x13, 0x88]),
        Buffer.from([0x03]),
        Buffer.from([0x03, 0xe8, 0xff]),
        Buffer.alloc(126, 1),
      ),
    ),
    lengthLie: sometimes(fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER)), 0.15),
    lengthForm: fc.constantFrom<'auto' | '16' | '64'>('auto', 'auto', '16', '64'),
  });

  function encode(frame: RawFrame): Buffer {
    const length = frame.lengthLie ?? frame.payload.length;
    const first = (frame.fin ? 0x80 : 0) | (frame.rsv << 4) | frame.opcode;
    const mask = frame.masked ? 0x80 : 0;
    let header: Buffer;
    const form = frame.lengthForm === 'auto' ? (length < 126 ? '7' : length < 65536 ? '16' : '64') : frame.lengthForm;
    if (form === '7' && length < 126) header = Buffer.from([first, mask | length]);
    else if (form === '16' && length < 65536) {
      header = Buffer.alloc(4);
      header[0] = first;
      header[1] = mask | 126;
      header.writeUInt16BE(length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = first;
      header[1] = mask | 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    if (!frame.masked) return Buffer.concat([header, frame.payload]);
    const key = randomBytes(4);
    const body = Buffer.from(frame.payload);
    for (let i = 0; i < body.length; i++) body[i] ^= key[i % 4];
    return Buffer.concat([header, key, body]);
  }

  /** A handshake by hand, then `bytes`; the server's close frame (code) if it sends one. */
  function rawWs(bytes: Buffer, waitMs: number): Promise<{ upgraded: boolean; closeCode?: number; head: string; ended: boolean }> {
    return new Promise((resolve) => {
      const socket = connect(server.port, server.host);
      let received = Buffer.alloc(0);
      let upgraded = false;
      let done = false;
      const finish = (ended: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        const headEnd = received.indexOf('\r\n\r\n');
        const head = received.subarray(0, Math.max(0, headEnd)).toString('latin1');
        let closeCode: number | undefined;
        // Server frames are unmasked; find the first close frame after the handshake.
        let offset = headEnd + 4;
        while (headEnd >= 0 && offset + 2 <= received.length) {
          const opcode = received[offset] & 0x0f;
          let length = received[offset + 1] & 0x7f;
          let start = offset + 2;
          if (length === 126) {
            length = received.readUInt16BE(offset + 2);
            start += 2;
          } else if (length === 127) {
            length = Number(received.readBigUInt64BE(offset + 2));
            start += 8;
          }
          if (opcode === 0x8) {
            closeCode = length >= 2 ? received.readUInt16BE(start) : 1005;
            break;
          }
          offset = start + length;
        }
        resolve({ upgraded, closeCode, head: head.split('\r\n')[0] ?? '', ended });
      };
      const timer = setTimeout(() => finish(false), waitMs + 1000);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (!upgraded && received.includes('\r\n\r\n')) {
          upgraded = received.subarray(0, 12).toString('latin1') === 'HTTP/1.1 101';
          if (!upgraded) return finish(true);
          socket.write(bytes);
          // A stream left mid-frame waits for more: give it `waitMs`, then leave.
          setTimeout(() => finish(false), waitMs);
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => finish(true));
      socket.on('connect', () => {
        socket.write(
          [
            'GET /api/login/ws HTTP/1.1',
            'Host: 127.0.0.1',
            'Upgrade: websocket',
            'Connection: Upgrade',
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
            'Sec-WebSocket-Version: 13',
            '',
            '',
          ].join('\r\n'),
        );
      });
    });
  }

  it('closes on frames the WebSocket protocol forbids with a protocol code, never 1011', async () => {
    // A malformed text message last: if the stream is still in step, it earns a 4400.
    const sentinel: RawFrame = { fin: true, rsv: 0, opcode: 1, masked: true, payload: Buffer.from('not json'), lengthLie: null, lengthForm: 'auto' };
    const allowed = new Set([1000, 1002, 1005, 1007, 1009, 4400, 4401, 4404]);
    await checkProperty(
      'raw frames',
      fc.asyncProperty(fc.array(rawFrameArb, { minLength: 1, maxLength: 4 }), async (frames) => {
        const mark = server.logs.lines.length;
        const bytes = Buffer.concat([...frames, sentinel].map(encode));
        const result = await rawWs(bytes, 120);
        const problems: string[] = [];
        if (!result.upgraded) problems.push(`the handshake failed: ${result.head}`);
        // A close frame the client sent with a valid code is echoed back.
        const echoed = frames.filter((f) => f.opcode === 0x8 && f.payload.length >= 2).map((f) => f.payload.readUInt16BE(0));
        if (result.closeCode !== undefined && !allowed.has(result.closeCode) && !echoed.includes(result.closeCode)) {
          problems.push(`closed with ${result.closeCode}`);
        }
        for (const line of server.logs.errorsSince(mark)) problems.push(`error logged: ${line.msg} ${line.err?.message ?? ''}`);
        if (problems.length) {
          throw new Error(`${problems.join('\n')}\n  frames: ${JSON.stringify(frames.map((f) => ({ ...f, payload: f.payload.toString('hex').slice(0, 80) })))}`);
        }
      }),
      150,
    );
  });

  it('answers junk upgrade requests with a 101 or a 4xx, never a 5xx, a hang or a crash', async () => {
    const upgradeArb = fc.record({
      method: fc.constantFrom('GET', 'GET', 'POST', 'HEAD', 'OPTIONS'),
      path: fc.oneof(
        { weight: 3, arbitrary: fc.constant('/api/login/ws') },
        { weight: 1, arbitrary: fc.constantFrom('/api/login/ws/', '/API/LOGIN/WS', '/api/login/ws%00', '//api/login/ws', '/api/login/../login/ws', '/', '*', 'http://evil/api/login/ws') },
        { weight: 1, arbitrary: oddString.map((s) => `/api/login/ws${percentEncode(s)}`) },
      ),
      query: sometimes(queryString, 0.3),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'),
      upgrade: fc.constantFrom('websocket', 'WebSocket', 'websocket, h2c', 'h2c', '', 'websocket\u0000'),
      connection: fc.constantFrom('Upgrade', 'upgrade', 'keep-alive, Upgrade', 'close', ''),
      key: fc.oneof(fc.constant(randomBytes(16).toString('base64')), fc.constantFrom('', 'short', 'A'.repeat(24), '===='), oddString),
      wsVersion: fc.constantFrom('13', '13', '8', '14', '', 'abc', '13, 8'),
      extra: fc.record(
        {
          'X-Forwarded-For': forwardedFor,
          'Sec-WebSocket-Protocol': fc.oneof(fc.constantFrom('chat', 'a, a', ',', ''), oddString),
          'Sec-WebSocket-Extensions': fc.constantFrom('permessage-deflate', 'permessage-deflate; client_max_window_bits=99', 'x; y', ';;'),
          Origin: fc.oneof(fc.constantFrom('null', 'https://evil.example'), oddString),
          Host: fc.oneof(fc.constantFrom('', 'evil', '[::1'), oddString),
          Cookie: oddString,
        },
        { requiredKeys: [] },
      ),
    });
    await checkProperty(
      'upgrade requests',
      fc.asyncProperty(upgradeArb, async (u) => {
        const mark = server.logs.lines.length;
        const headers: Record<string, string> = { Host: '127.0.0.1', Upgrade: u.upgrade, Connection: u.connection, 'Sec-WebSocket-Key': u.key, 'Sec-WebSocket-Version': u.wsVersion, ...u.extra };
        const lines = [`${u.method} ${u.path}${u.query === null ? '' : `?${u.query}`} ${u.version}`];
        for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${headerSafe(value)}`);
        const request = lines.join('\r\n') + '\r\n\r\n';
        const status = await new Promise<string>((resolve) => {
          const socket = connect(server.port, server.host);
          let received = '';
          const timer = setTimeout(() => {
            socket.destroy();
            resolve(received ? received.split('\r\n')[0] : 'no answer within 3 s');
          }, 3000);
          socket.on('data', (chunk: Buffer) => {
            received += chunk.toString('latin1');
            if (received.includes('\r\n\r\n')) {
              clearTimeout(timer);
              socket.destroy();
              resolve(received.split('\r\n')[0]);
            }
          });
          socket.on('error', () => undefined);
          socket.on('close', () => {
            clearTimeout(timer);
            resolve(received ? received.split('\r\n')[0] : 'closed without an answer');
          });
          socket.write(request);
        });
        const code = Number(/^HTTP\/1\.[01] (\d{3})/.exec(status)?.[1] ?? 0);
        const problems: string[] = [];
        // 101, or a 4xx (ws or the router refusing); without a valid Upgrade it is plain HTTP, any non-5xx.
        if (!(code >= 101 && code < 500)) problems.push(`answered ${JSON.stringify(status)}`);
        for (const line of server.logs.errorsSince(mark)) problems.push(`error logged: ${line.msg} ${line.err?.message ?? ''}`);
        const health = await send(server, { method: 'GET', path: '/healthz' });
        if (health.kind !== 'reply' || health.status !== 200) problems.push(`healthz afterwards: ${describeOutcome(health)}`);
        if (problems.length) throw new Error(`${problems.join('\n')}\n  request: ${JSON.stringify(request.slice(0, 800))}`);
      }),
      200,
    );
  });
});
