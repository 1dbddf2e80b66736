import type { CodeImage } from './wechat-client';

/**
 * Each ticket's mini-program code, fetched from WeChat once and then served from memory.
 * WeChat limits getwxacodeunlimit (5,000 a minute), and a page, its reloads and a bot
 * hammering the image URL must not multiply that. Concurrent requests share one fetch;
 * a failed fetch is forgotten so the next request tries again.
 */
export class CodeImages {
  private readonly cache = new Map<string, Promise<CodeImage>>();

  constructor(
    private readonly fetch: (scene: string) => Promise<CodeImage>,
    private readonly maxEntries = 10_000,
  ) {}

  get(ticketId: string): Promise<CodeImage> {
    const cached = this.cache.get(ticketId);
    if (cached) return cached;
    const image = this.fetch(ticketId);
    this.cache.set(ticketId, image);
    image.catch(() => this.cache.delete(ticketId));
    // Maps iterate in insertion order: the first key is the oldest code.
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return image;
  }
}
