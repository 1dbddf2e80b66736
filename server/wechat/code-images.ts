import type { Clock } from '../core/clock';
import type { CodeImageStore } from './code-image-store';
import type { CodeImage } from './wechat-client';

/** How long a failed fetch is answered from memory before WeChat is asked again. */
export const FAILURE_MEMORY_MS = 5_000;

interface Entry {
  image: Promise<CodeImage>;
  /** The ticket's expiry: after it nobody may be shown the code. */
  expiresAt: number;
  /** Set once the fetch failed: until then the failure is served as it is. */
  failedAt?: number;
}

/**
 * Each ticket's mini-program code, fetched from WeChat once and then served from memory.
 * WeChat limits getwxacodeunlimit (5,000 a minute for the whole app), and a page, its
 * reloads and a bot hammering the image URL must not multiply that:
 * - concurrent requests share one fetch, and only a fetch that reaches WeChat spends the
 *   caller's budget (`admit`), so cache hits are free;
 * - a failed fetch is remembered for FAILURE_MEMORY_MS, so while WeChat is down or over
 *   quota every page's retries do not become a storm of calls that keeps it so;
 * - an image is dropped when its ticket ends (`forget`) or expires, so memory follows
 *   live tickets.
 * With a shared store (several instances) fetched images live there instead, and this
 * process keeps only fetches in flight and failures: an instance never holds what another
 * may serve, and a reload on another instance is a cache hit.
 */
export class CodeImages {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly fetch: (scene: string) => Promise<CodeImage>,
    private readonly clock: Clock,
    private readonly shared?: CodeImageStore,
    private readonly maxEntries = 10_000,
  ) {}

  get size(): number {
    return this.cache.size;
  }

  /** The image; `admit` runs (and may refuse) only when WeChat has to be asked. */
  async get(ticketId: string, expiresAt: number, admit: () => Promise<void> = async () => {}): Promise<CodeImage> {
    this.dropExpired();
    const cached = this.cache.get(ticketId);
    if (cached && (cached.failedAt === undefined || this.clock.now() - cached.failedAt < FAILURE_MEMORY_MS)) {
      return cached.image;
    }
    const stored = await this.shared?.get(ticketId);
    if (stored) return stored;
    await admit();
    // Another request may have started the fetch while this one was admitted.
    const raced = this.cache.get(ticketId);
    if (raced && raced !== cached) return raced.image;
    const entry: Entry = { image: this.fetch(ticketId), expiresAt };
    this.cache.set(ticketId, entry);
    entry.image.then(
      (image) => this.share(ticketId, entry, image),
      () => (entry.failedAt = this.clock.now()),
    );
    // Maps iterate in insertion order: the first key is the oldest code.
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return entry.image;
  }

  /**
   * Codes are fetched about when their tickets are made and tickets share one lifetime,
   * so the oldest entries expire first: drop from the front until one is still live.
   */
  private dropExpired(): void {
    const now = this.clock.now();
    for (const [ticketId, entry] of this.cache) {
      if (entry.expiresAt > now) return;
      this.cache.delete(ticketId);
    }
  }

  /** Hands a fetched image to the shared store; the local copy goes once it is there. */
  private share(ticketId: string, entry: Entry, image: CodeImage): void {
    // Forgotten while it was fetched: the ticket ended, nobody must be shown its code.
    if (!this.shared || this.cache.get(ticketId) !== entry) return;
    // A store that failed only costs the next request a fetch: the image was served.
    void this.shared.put(ticketId, image, entry.expiresAt).then(
      () => this.cache.get(ticketId) === entry && this.cache.delete(ticketId),
      () => undefined,
    );
  }

  /**
   * The ticket ended: nobody needs its code any more. Every instance hears of the end and
   * drops what it holds; `shared` deletes the shared copy too, which the instance whose
   * write ended the ticket does, once. A copy another instance was still storing lapses
   * with the ticket, and a finished ticket's code is never served anyway.
   */
  forget(ticketId: string, { shared }: { shared: boolean }): void {
    this.cache.delete(ticketId);
    if (shared) void this.shared?.delete(ticketId).catch(() => undefined);
  }
}
