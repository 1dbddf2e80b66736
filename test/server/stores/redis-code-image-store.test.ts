import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisConnection } from '../../../server/stores/redis-connection';
import { RedisCodeImageStore } from '../../../server/stores/redis-code-image-store';
import { deleteKeys, describeWithRedis, openTestRedis, uniquePrefix } from '../../support/redis';

describeWithRedis('RedisCodeImageStore', () => {
  const prefix = uniquePrefix();
  let redis: RedisConnection;
  let store: RedisCodeImageStore;
  // Every byte value, a newline among them: nothing may be read as text.
  const image = { contentType: 'image/png', image: Buffer.from(Array.from({ length: 512 }, (_, index) => index % 256)) };

  beforeAll(async () => {
    redis = await openTestRedis(prefix);
    store = new RedisCodeImageStore(redis);
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.close();
  });

  it('gives back the bytes and content type it was given', async () => {
    await store.put('t1', image, Date.now() + 60_000);
    const stored = await store.get('t1');
    expect(stored?.contentType).toBe('image/png');
    expect(stored?.image.equals(image.image)).toBe(true);
  });

  it('knows nothing of a ticket it was never given', async () => {
    expect(await store.get('never')).toBeUndefined();
  });

  it("lets an image expire with its ticket", async () => {
    await store.put('t2', image, Date.now() + 150);
    expect(await store.get('t2')).toBeDefined();
    await sleep(250);
    expect(await store.get('t2')).toBeUndefined();
  });

  it('deletes an image, under its own prefix only', async () => {
    await store.put('t3', image, Date.now() + 60_000);
    expect(await redis.client.exists(`${prefix}code:t3`)).toBe(1);
    await store.delete('t3');
    expect(await store.get('t3')).toBeUndefined();
  });
});
