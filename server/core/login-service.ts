import type { TokenSigner } from '../auth/token-signer';
import { ScanTokenInvalid, SecretInvalid, TicketNotFound, TicketNotScanned } from '../errors';
import type { EventBus } from '../push/event-bus';
import type { TicketStore } from '../stores/ticket-store';
import { PublicUser, publicUser, UserStore } from '../stores/user-store';
import type { SessionExchanger } from '../wechat/wechat-client';
import type { Clock } from './clock';
import { ID_PATTERN, newId, newSecret, RandomBytes, secretMatches, sha256 } from './random';
import { isDue, Requester, statusOf, Ticket, TicketEvent, TicketStatus, transition } from './ticket';

export interface LoginServiceDeps {
  tickets: TicketStore;
  users: UserStore;
  wechat: SessionExchanger;
  signer: TokenSigner;
  bus: EventBus;
  clock: Clock;
  random: RandomBytes;
  ticketTtlMs: number;
  retainMs: number;
}

export interface Profile {
  nickname?: string;
  avatarUrl?: string;
}

/** What the secret holder learns about a ticket: the token only once. */
export type TicketView =
  | { status: TicketStatus; expiresAt: number }
  | { status: 'confirmed'; expiresAt: number; token: string; user: PublicUser };

/**
 * The login flow of DESIGN.md over injected stores, clock, randomness and WeChat.
 * Knows nothing of HTTP or sockets. Each single-use step checks everything that can fail
 * first, then commits with one compare-and-set, so racing callers get one winner.
 */
export class LoginService {
  constructor(private readonly deps: LoginServiceDeps) {}

  async create(requester: Requester): Promise<{ ticket: Ticket; secret: string }> {
    const { clock, random, ticketTtlMs } = this.deps;
    const now = clock.now();
    const secret = newSecret(random);
    const ticket: Ticket = {
      id: newId(random),
      secretHash: sha256(secret),
      state: 'pending',
      version: 0,
      createdAt: now,
      expiresAt: now + ticketTtlMs,
      requester,
    };
    await this.deps.tickets.create(ticket, this.retainUntil(ticket));
    return { ticket, secret };
  }

  /** The ticket as it stands now, expiring it first if its time is up. */
  async find(id: string): Promise<Ticket> {
    // An id that cannot have been issued is simply unknown; no need to ask the store.
    const ticket = ID_PATTERN.test(id) ? await this.deps.tickets.get(id) : undefined;
    if (!ticket) throw new TicketNotFound();
    if (!isDue(ticket, this.deps.clock.now())) return ticket;
    // Whoever notices first expires it; a lost race means someone else just did.
    return (await this.apply(ticket, { type: 'expire' })) ?? this.find(id);
  }

  /** The ticket, for the holder of its secret only. */
  async authorize(id: string, secret: string | undefined): Promise<Ticket> {
    const ticket = await this.find(id);
    if (!secretMatches(secret, ticket.secretHash)) throw new SecretInvalid();
    return ticket;
  }

  /** Polling: the status, and the token the first time it is asked for after confirm. */
  async poll(id: string, secret: string | undefined): Promise<TicketView> {
    return this.view(await this.authorize(id, secret));
  }

  /** Turns a ticket the secret holder is looking at into what they may see. */
  async view(ticket: Ticket): Promise<TicketView> {
    if (ticket.state === 'confirmed') {
      const delivered = await this.deliver(ticket);
      if (delivered) return delivered;
    }
    return { status: statusOf(ticket), expiresAt: ticket.expiresAt };
  }

  /** The first scanner owns the ticket; the scan token proves it on confirm and cancel. */
  async scan(id: string, launchScene?: number): Promise<{ ticket: Ticket; scanToken: string }> {
    const ticket = await this.find(id);
    const scanToken = newSecret(this.deps.random);
    const next = await this.commit(ticket, { type: 'scan', scanTokenHash: sha256(scanToken), launchScene });
    return { ticket: next, scanToken };
  }

  async confirm(id: string, scanToken: string | undefined, code: string, profile: Profile = {}): Promise<PublicUser> {
    const ticket = await this.ownedTicket(id, scanToken);
    // Fail on the state before spending the one-time WeChat code.
    this.check(ticket, { type: 'confirm', userId: '' });
    const session = await this.deps.wechat.code2Session(code);
    const user = await this.deps.users.upsert({
      newId: newId(this.deps.random),
      openid: session.openid,
      unionid: session.unionid,
      nickname: profile.nickname,
      avatarUrl: profile.avatarUrl,
      now: this.deps.clock.now(),
    });
    const confirmed = await this.commit(ticket, { type: 'confirm', userId: user.id });
    await this.deps.users.recordLogin({
      ticketId: id,
      userId: user.id,
      ip: confirmed.requester.ip,
      userAgent: confirmed.requester.userAgent,
      launchScene: confirmed.launchScene,
      at: this.deps.clock.now(),
    });
    return publicUser(user);
  }

  async cancel(id: string, scanToken: string | undefined): Promise<void> {
    await this.commit(await this.ownedTicket(id, scanToken), { type: 'cancel' });
  }

  /**
   * Hands the token over: confirmed → consumed. Exactly one caller (socket or poll, on
   * any instance) wins the compare-and-set and gets the token; everyone else undefined.
   */
  async deliver(ticket: Ticket): Promise<TicketView | undefined> {
    const consumed = await this.apply(ticket, { type: 'consume' });
    if (!consumed?.userId) return undefined;
    const user = await this.deps.users.findById(consumed.userId);
    if (!user) throw new Error(`confirmed ticket ${ticket.id} names a missing user`);
    return {
      status: 'confirmed',
      expiresAt: consumed.expiresAt,
      token: this.deps.signer.sign(user.id),
      user: publicUser(user),
    };
  }

  private async ownedTicket(id: string, scanToken: string | undefined): Promise<Ticket> {
    // The contract answers a missing scan token like a wrong one, whatever the state.
    if (!scanToken) throw new ScanTokenInvalid();
    const ticket = await this.find(id);
    if (ticket.state === 'pending') throw new TicketNotScanned();
    // Expired/cancelled/used tickets say so to anyone: only ownership needs proof.
    if (ticket.state === 'scanned' && !secretMatches(scanToken, ticket.scanTokenHash)) throw new ScanTokenInvalid();
    return ticket;
  }

  private check(ticket: Ticket, event: TicketEvent): Ticket {
    const result = transition(ticket, event, this.deps.clock.now());
    if (!result.ok) throw result.error;
    return result.ticket;
  }

  /** Applies the event or throws why not; a lost race is re-judged on the fresh ticket. */
  private async commit(ticket: Ticket, event: TicketEvent): Promise<Ticket> {
    this.check(ticket, event);
    const next = await this.apply(ticket, event);
    if (next) return next;
    const fresh = await this.find(ticket.id);
    this.check(fresh, event);
    // The fresh ticket would allow it, so the race was with an unrelated write: retry.
    return this.commit(fresh, event);
  }

  /** One compare-and-set; publishes the change. Undefined when refused or raced. */
  private async apply(ticket: Ticket, event: TicketEvent): Promise<Ticket | undefined> {
    const result = transition(ticket, event, this.deps.clock.now());
    if (!result.ok) return undefined;
    const next = result.ticket;
    if (!(await this.deps.tickets.compareAndSet(next, ticket.version, this.retainUntil(next)))) return undefined;
    if (next.state !== 'consumed') this.deps.bus.publish({ ticketId: next.id, status: statusOf(next) });
    return next;
  }

  private retainUntil(ticket: Ticket): number {
    return ticket.expiresAt + this.deps.retainMs;
  }
}
