import type { Clock } from '../../../server/core/clock';
import type { CodeImageStore } from '../../../server/wechat/code-image-store';
import { CodeImages, FAILURE_MEMORY_MS } from '../../../server/wechat/code-images';
import type { CodeImage } from '../../../server/wechat/wechat-client';

/** The shared store's contract as a Map: what another instance would see. */
class MapImageStore implements CodeImageStore {
  readonly images = new Map<string, CodeImage>();
  async get(ticketId: string) {
    return this.images.get(ticketId);
  }
  async put(ticketId: string, image: CodeImage) {
    this.images.set(ticketId, image);
  }
  async delete(ticketId: string) {
    this.images.delete(ticketId);
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CodeImages', () => {
  let now: number;
  const clock: Clock = { now: () => now };
  let fetches: string[];
  let fail: boolean;
  const fetch = async (scene: string): Promise<CodeImage> => {
    fetches.push(scene);
    if (fail) throw new Error('WeChat is down');
    return { contentType: 'image/png', image: Buffer.from(scene) };
  };
  beforeEach(() => {
    now = 1_000_000;
    fetches = [];
    fail = false;
  });

  it('fetches once for concurrent requests of one ticket', async () => {
    const images = new CodeImages(fetch, clock);
    await Promise.all([images.get('t', now + 60_000), images.get('t', now + 60_000)]);
    await images.get('t', now + 60_000);
    expect(fetches).toEqual(['t']);
  });

  it('spends the budget only when WeChat has to be asked', async () => {
    const images = new CodeImages(fetch, clock);
    let admitted = 0;
    const admit = async () => void admitted++;
    await images.get('t', now + 60_000, admit);
    await images.get('t', now + 60_000, admit);
    expect(admitted).toBe(1);
  });

  it('answers a failure from memory for a few seconds, then asks again', async () => {
    const images = new CodeImages(fetch, clock);
    fail = true;
    await expect(images.get('t', now + 60_000)).rejects.toThrow('WeChat is down');
    await flush();
    await expect(images.get('t', now + 60_000)).rejects.toThrow('WeChat is down');
    expect(fetches).toHaveLength(1);
    now += FAILURE_MEMORY_MS;
    fail = false;
    await expect(images.get('t', now + 60_000)).resolves.toMatchObject({ contentType: 'image/png' });
    expect(fetches).toHaveLength(2);
  });

  it('drops an expired image', async () => {
    const images = new CodeImages(fetch, clock);
    await images.get('t', now + 1000);
    now += 1000;
    await images.get('u', now + 1000);
    expect(images.size).toBe(1);
  });

  describe('with a shared store', () => {
    it("serves another instance's fetch without asking WeChat again", async () => {
      const shared = new MapImageStore();
      await new CodeImages(fetch, clock, shared).get('t', now + 60_000);
      await flush();
      const other = new CodeImages(fetch, clock, shared);
      let admitted = 0;
      const image = await other.get('t', now + 60_000, async () => void admitted++);
      expect(image.image.toString()).toBe('t');
      expect(fetches).toEqual(['t']);
      expect(admitted).toBe(0);
    });

    it('keeps nothing of a fetched image in memory once it is shared', async () => {
      const images = new CodeImages(fetch, clock, new MapImageStore());
      await images.get('t', now + 60_000);
      await flush();
      expect(images.size).toBe(0);
    });

    it('never shares a failure: another instance asks WeChat itself', async () => {
      const shared = new MapImageStore();
      fail = true;
      await expect(new CodeImages(fetch, clock, shared).get('t', now + 60_000)).rejects.toThrow();
      expect(shared.images.size).toBe(0);
    });

    it('leaves the shared image to the instance that ended the ticket, dropping only its own', async () => {
      const shared = new MapImageStore();
      const ending = new CodeImages(fetch, clock, shared);
      await ending.get('t', now + 60_000);
      await flush();
      const other = new CodeImages(fetch, clock, shared);
      other.forget('t', { shared: false });
      await flush();
      expect(shared.images.has('t')).toBe(true);
      ending.forget('t', { shared: true });
      await flush();
      expect(shared.images.has('t')).toBe(false);
    });

    it('deletes the shared image when the ticket ends, and never stores one still being fetched', async () => {
      const shared = new MapImageStore();
      const images = new CodeImages(fetch, clock, shared);
      await images.get('t', now + 60_000);
      await flush();
      images.forget('t', { shared: true });
      await flush();
      expect(shared.images.has('t')).toBe(false);
      let finish!: () => void;
      const slow = new CodeImages(
        async (scene) => {
          await new Promise<void>((resolve) => (finish = resolve));
          return fetch(scene);
        },
        clock,
        shared,
      );
      const inFlight = slow.get('u', now + 60_000);
      while (!finish) await flush();
      slow.forget('u', { shared: false });
      finish();
      await inFlight;
      await flush();
      expect(shared.images.has('u')).toBe(false);
    });
  });
});
