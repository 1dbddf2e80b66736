import type { CodeImage } from './wechat-client';

/**
 * Where fetched code images are kept for every instance (Redis with scale-out), so that a
 * page whose reload lands on another instance does not cost a second getwxacodeunlimit.
 * An image lives no longer than its ticket.
 */
export interface CodeImageStore {
  get(ticketId: string): Promise<CodeImage | undefined>;
  /** Kept until `expiresAt` (ms since the epoch), the ticket's own expiry. */
  put(ticketId: string, image: CodeImage, expiresAt: number): Promise<void>;
  delete(ticketId: string): Promise<void>;
}
