import { ScanTokenInvalid, SecretInvalid, TicketNotScanned } from '../errors';
import type { Metrics } from '../metrics/metrics';
import type { TicketStore } from '../stores/ticket-store';
import { PublicUser, publicUser, UserStore } from '../stores/user-store';
import type { SessionExchanger } from '../wechat/wechat-client';
import type { Clock } from './clock';
import type { EventBus } from './event-bus';
import { newId, newSecret, RandomBytes, secretMatches, sha256 } from './random';
import { RelyingParty, Requester, statusOf, Ticket, TicketStatus } from './ticket';
import { TicketLedger } from './ticket-ledger';

/** A confirmed login, as the one who issues the page's token sees it. */
export interface LoginGranted {
  ticket: Ticket;
  user: PublicUser;
  openid: string;
  unionid?: string;
}

export interface LoginServiceDeps {
  tickets: TicketStore;
  users: UserStore;
  wechat: SessionExchanger;
  /** What the waiting page receives as `token`: the project's JWT, or the host's own (onLogin). */
  issueToken(login: LoginGranted): Promise<string>;
  bus: EventBus;
  clock: Clock;
  random: RandomBytes;
  ticketTtlMs: number;
  retainMs: number;
  /** How long after the first delivery the secret holder gets the same token again; 0 is strictly once. */
  redeliveryMs: number;
  /** How long a confirm may hold the ticket while WeChat answers; a crashed one lapses after it. */
  confirmWindowMs?: number;
  /** Where login outcomes are counted; none by default. */
  metrics?: Metrics;
}

/** Longer than the WeChat client's timeouts and retries together. */
const DEFAULT_CONFIRM_WINDOW_MS = 30_000;

export interface Profile {
  nickname?: string;
  avatarUrl?: string;
}

/** What the secret holder learns about a ticket: the token once, or again inside the redelivery window. */
export type TicketView =
  | { status: TicketStatus; expiresAt: number }
  | { status: 'confirmed'; expiresAt: number; token: string; user: PublicUser };

/**
 * The login flow of DESIGN.md over injected stores, clock, randomness and WeChat.
 * Knows nothing of HTTP or sockets. Each single-use step checks everything that can fail
 * first, then commits with one compare-and-set, so racing callers get one winner.
 */
export class LoginService {
  private readonly ledger: TicketLedger;

  constructor(private readonly deps: LoginServiceDeps) {
    this.ledger = new TicketLedger(deps);
  }

  async create(requester: Requester, relyingParty?: RelyingParty): Promise<{ ticket: Ticket; secret: string }> {
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
      ...(relyingParty && { relyingParty }),
    };
    await this.ledger.create(ticket);
    return { ticket, secret };
  }

  /** The ticket as it stands now, expiring it first if its time is up. */
  find(id: string): Promise<Ticket> {
    return this.ledger.find(id);
  }

  /** The ticket, for the holder of its secret only. */
  async authorize(id: string, secret: string | undefined): Promise<Ticket> {
    const ticket = await this.find(id);
    if (!secretMatches(secret, ticket.secretHash)) throw new SecretInvalid();
    return ticket;
  }

  /** Polling: the status, and the token once confirmed (again inside the redelivery window). */
  async poll(id: string, secret: string | undefined): Promise<TicketView> {
    return this.view(await this.authorize(id, secret));
  }

  /** The status alone, handing nothing over: what a HEAD of the poll may learn. */
  async status(id: string, secret: string | undefined): Promise<TicketView> {
    const ticket = await this.authorize(id, secret);
    return { status: statusOf(ticket), expiresAt: ticket.expiresAt };
  }

  /** Turns a ticket the secret holder is looking at into what they may see. */
  async view(ticket: Ticket): Promise<TicketView> {
    if (ticket.state === 'confirmed') {
      // Whoever wins the compare-and-set delivers first; a loser re-reads the consumed
      // ticket and, inside the window, is handed the same token.
      return (await this.deliver(ticket)) ?? this.view(await this.find(ticket.id));
    }
    if (ticket.state === 'consumed' && ticket.token !== undefined) {
      if (this.deps.clock.now() < (ticket.deliveredAt ?? 0) + this.deps.redeliveryMs) return this.withToken(ticket);
      await this.ledger.apply(ticket, { type: 'forget' });
    }
    return { status: statusOf(ticket), expiresAt: ticket.expiresAt };
  }

  /**
   * The first scanner owns the ticket; the scan token proves it on confirm and cancel.
   * The owner scanning again with its token (a reload of the confirm page) gets the same
   * view back instead of "someone else scanned it".
   */
  async scan(id: string, launchScene?: number, ownerToken?: string): Promise<{ ticket: Ticket; scanToken: string }> {
    const ticket = await this.find(id);
    if (ownerToken && ticket.state === 'scanned' && secretMatches(ownerToken, ticket.scanTokenHash)) {
      return { ticket, scanToken: ownerToken };
    }
    const scanToken = newSecret(this.deps.random);
    const next = await this.ledger.commit(ticket, { type: 'scan', scanTokenHash: sha256(scanToken), launchScene });
    return { ticket: next, scanToken };
  }

  /**
   * Reserves the ticket, then spends the WeChat code, then commits. Racing confirms lose
   * at the reservation with their codes unspent and nothing written; if WeChat (or
   * anything after the reservation) fails, the reservation is given back so the phone can
   * try again with a fresh code.
   */
  async confirm(id: string, scanToken: string | undefined, code: string, profile: Profile = {}): Promise<PublicUser> {
    const { clock, random } = this.deps;
    const ticket = await this.ownedTicket(id, scanToken);
    const by = newId(random);
    const until = clock.now() + (this.deps.confirmWindowMs ?? DEFAULT_CONFIRM_WINDOW_MS);
    const reserved = await this.ledger.commit(ticket, { type: 'reserve', by, until });
    let confirmed: Ticket;
    let user;
    try {
      const session = await this.deps.wechat.code2Session(code);
      user = await this.deps.users.upsert({
        newId: newId(random),
        openid: session.openid,
        unionid: session.unionid,
        nickname: profile.nickname,
        avatarUrl: profile.avatarUrl,
        now: clock.now(),
      });
      const token = await this.deps.issueToken({
        ticket: reserved,
        user: publicUser(user),
        openid: session.openid,
        unionid: session.unionid,
      });
      confirmed = await this.ledger.commit(reserved, { type: 'confirm', by, userId: user.id, token });
    } catch (error) {
      await this.release(reserved, by);
      this.deps.metrics?.login('failed');
      throw error;
    }
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

  /**
   * Spends a delivered token once, for whoever hands it back (a relying party's
   * interaction finishing its login): the ticket when this call won, undefined for a
   * wrong, unknown or already spent token. The token only ever reached the secret
   * holder, and forgetting it is one compare-and-set, so two redemptions cannot both win.
   */
  async redeem(id: string, token: string): Promise<Ticket | undefined> {
    const ticket = await this.ledger.peek(id);
    if (ticket?.state !== 'consumed' || ticket.token === undefined) return undefined;
    if (!secretMatches(token, sha256(ticket.token))) return undefined;
    return this.ledger.apply(ticket, { type: 'forget' });
  }

  async cancel(id: string, scanToken: string | undefined): Promise<void> {
    await this.ledger.commit(await this.ownedTicket(id, scanToken), { type: 'cancel' });
  }

  /**
   * Hands the token over: confirmed → consumed, stamping the first delivery. Exactly one
   * caller (socket or poll, on any instance) wins the compare-and-set; the others get
   * undefined and re-read the ticket.
   */
  private async deliver(ticket: Ticket): Promise<TicketView | undefined> {
    const consumed = await this.ledger.apply(ticket, { type: 'consume' });
    return consumed && this.withToken(consumed);
  }

  private async withToken(ticket: Ticket): Promise<TicketView> {
    const user = ticket.userId === undefined ? undefined : await this.deps.users.findById(ticket.userId);
    if (!user || ticket.token === undefined) throw new Error(`confirmed ticket ${ticket.id} lacks its user or token`);
    return { status: 'confirmed', expiresAt: ticket.expiresAt, token: ticket.token, user: publicUser(user) };
  }

  /** Gives a reservation back; best effort, since it lapses by itself anyway. */
  private async release(reserved: Ticket, by: string): Promise<void> {
    try {
      const current = await this.deps.tickets.get(reserved.id);
      if (current) await this.ledger.apply(current, { type: 'release', by });
    } catch {
      // The store failing here is reported by the error that got us here.
    }
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
}
