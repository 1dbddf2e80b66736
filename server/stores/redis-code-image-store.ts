import { RESP_TYPES } from 'redis';
import type { CodeImageStore } from '../wechat/code-image-store';
import type { CodeImage } from '../wechat/wechat-client';
import type { RedisConnection } from './redis-connection';

/** Bytes stay bytes: the image is binary, and a UTF-8 round trip would corrupt it. */
const AS_BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;
/** The content type, a newline, the image: one value, so one GET and one SET PXAT. */
const SEPARATOR = 0x0a;

/** Code images on the shared Redis, each expiring with its ticket. */
export class RedisCodeImageStore implements CodeImageStore {
  constructor(private readonly redis: RedisConnection) {}

  async get(ticketId: string): Promise<CodeImage | undefined> {
    const value = await this.redis.call((client) => client.withTypeMapping(AS_BUFFERS).get(this.key(ticketId)));
    if (!value) return undefined;
    const at = value.indexOf(SEPARATOR);
    return { contentType: value.subarray(0, at).toString('latin1'), image: value.subarray(at + 1) };
  }

  async put(ticketId: string, { contentType, image }: CodeImage, expiresAt: number): Promise<void> {
    const value = Buffer.concat([Buffer.from(contentType, 'latin1'), Buffer.of(SEPARATOR), image]);
    await this.redis.call((client) => client.set(this.key(ticketId), value, { expiration: { type: 'PXAT', value: expiresAt } }));
  }

  async delete(ticketId: string): Promise<void> {
    await this.redis.call((client) => client.del(this.key(ticketId)));
  }

  private key(ticketId: string): string {
    return `${this.redis.prefix}code:${ticketId}`;
  }
}
