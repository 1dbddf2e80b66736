import { resolveObjectURL } from 'node:buffer';
import { CodeImages } from '../../../web/src/client/code-images';
import type { FetchLike, ResponseLike } from '../../../web/src/client';

const SERVER = 'https://login.example.com';
const PAGE = 'https://blog.example.com';
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
const codeUrl = (n: number) => `${SERVER}/auth/wechat/tickets/ticket${n}/qrcode`;

function response(status: number, contentType: string, body: Buffer | string): ResponseLike {
  return {
    status,
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? contentType : null) },
    text: async () => body.toString(),
    blob: async () => new Blob([typeof body === 'string' ? body : new Uint8Array(body)], { type: contentType }),
  };
}

/** A fetch that answers each code URL with the PNG, and records what it was asked. */
function imageServer(answer: () => ResponseLike = () => response(200, 'image/png', PNG)) {
  const asked: string[] = [];
  const fetchImpl: FetchLike = async (url) => {
    asked.push(url);
    return answer();
  };
  return { asked, fetchImpl };
}

async function bytesAt(blobUrl: string): Promise<Buffer | undefined> {
  const blob = resolveObjectURL(blobUrl);
  return blob && Buffer.from(await blob.arrayBuffer());
}

const live = () => new AbortController().signal;

describe('CodeImages', () => {
  it('hands out the code URL itself on the server’s own origin, without fetching it', async () => {
    const { asked, fetchImpl } = imageServer();
    const images = new CodeImages(fetchImpl, SERVER);
    expect(await images.load(codeUrl(1), live())).toBe(codeUrl(1));
    expect(asked).toEqual([]);
  });

  it('hands out the code URL where there is no page (Node)', async () => {
    const { asked, fetchImpl } = imageServer();
    expect(await new CodeImages(fetchImpl, null).load(codeUrl(1), live())).toBe(codeUrl(1));
    expect(asked).toEqual([]);
  });

  it('fetches the image across origins and hands out a blob: URL of its bytes', async () => {
    const { asked, fetchImpl } = imageServer();
    const url = await new CodeImages(fetchImpl, PAGE).load(codeUrl(1), live());
    expect(url).toMatch(/^blob:/);
    expect(asked).toEqual([codeUrl(1)]);
    expect(await bytesAt(url)).toEqual(PNG);
  });

  it('revokes the blob URL when the next code replaces it, and on release()', async () => {
    const { fetchImpl } = imageServer();
    const images = new CodeImages(fetchImpl, PAGE);
    const first = await images.load(codeUrl(1), live());
    const second = await images.load(codeUrl(2), live());
    expect(await bytesAt(first)).toBeUndefined();
    expect(await bytesAt(second)).toEqual(PNG);
    images.release();
    expect(await bytesAt(second)).toBeUndefined();
  });

  it.each([
    ['the server refuses the image', () => response(410, 'application/json', '{"error":{"code":"TICKET_EXPIRED"}}')],
    ['the answer is no image', () => response(200, 'text/html', '<p>hello</p>')],
    [
      'the fetch fails (CORS, network)',
      () => {
        throw new TypeError('Failed to fetch');
      },
    ],
  ])('falls back to the code URL when %s, so the <img> error tells the page', async (_what, answer) => {
    const { fetchImpl } = imageServer(answer);
    expect(await new CodeImages(fetchImpl, PAGE).load(codeUrl(1), live())).toBe(codeUrl(1));
  });

  it('makes no blob URL for a code no longer wanted', async () => {
    const abort = new AbortController();
    const { fetchImpl } = imageServer(() => {
      abort.abort();
      return response(200, 'image/png', PNG);
    });
    const created = jest.spyOn(URL, 'createObjectURL');
    await expect(new CodeImages(fetchImpl, PAGE).load(codeUrl(1), abort.signal)).rejects.toBeDefined();
    expect(created).not.toHaveBeenCalled();
    created.mockRestore();
  });
});
