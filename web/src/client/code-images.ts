import { errorFromBody, fetchWithin, parseJson } from './http-json';
import { LoginError } from './login-error';
import type { FetchLike } from './types';

/** The platform's blob URLs (browsers, and Node since 16), typed without the DOM lib. */
interface ObjectUrls {
  createObjectURL(blob: unknown): string;
  revokeObjectURL(url: string): void;
}

/**
 * Turns a ticket's code URL into what an `<img>` on this page can show. On the server's
 * own origin that is the URL itself. From another origin the server's
 * `Cross-Origin-Resource-Policy: same-origin` blocks an `<img>` of it (on purpose: another
 * site must not frame a code it holds no secret for), while a CORS fetch, which the server
 * allows for its `CORS_ORIGINS`, is not subject to that policy: so the image is fetched and
 * shown through a `blob:` URL. One per LoginClient: the blob URL handed out last is revoked
 * when the next replaces it, or on `release()`.
 */
export class CodeImages {
  private current: string | null = null;

  constructor(
    private readonly fetchImpl: FetchLike,
    /** The page's origin; null where there is no page (Node), which shows nothing anyway. */
    private readonly pageOrigin: string | null,
  ) {}

  /**
   * The `src` for the code at `qrcodeUrl`. When the cross-origin fetch fails, `qrcodeUrl`
   * itself: the `<img>` then fails to load, and its error event is where the page learns of
   * it, as on the same origin. Rejects only when `signal` aborts.
   */
  async load(qrcodeUrl: string, signal: AbortSignal): Promise<string> {
    if (this.pageOrigin === null || new URL(qrcodeUrl).origin === this.pageOrigin) return this.replace(null, qrcodeUrl);
    let blob: unknown;
    try {
      blob = await this.fetchImage(qrcodeUrl, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      return this.replace(null, qrcodeUrl);
    }
    // The ticket was dropped while its image came: a URL made now would never be revoked.
    if (signal.aborted) throw signal.reason;
    const url = objectUrls().createObjectURL(blob);
    return this.replace(url, url);
  }

  /** Revokes the blob URL handed out last, if any; the page shows no code of this client any more. */
  release(): void {
    if (this.current !== null) objectUrls().revokeObjectURL(this.current);
    this.current = null;
  }

  private replace(blobUrl: string | null, src: string): string {
    this.release();
    this.current = blobUrl;
    return src;
  }

  private async fetchImage(url: string, signal: AbortSignal): Promise<unknown> {
    const { response, body } = await fetchWithin(this.fetchImpl, url, { signal }, async (answer) => {
      if (answer.status < 200 || answer.status >= 300) return { error: parseJson(await answer.text()) };
      if (!answer.blob) throw new LoginError(LoginError.BAD_RESPONSE, 'This fetch cannot read images (no blob()).');
      return { image: await answer.blob() };
    });
    if (!('image' in body)) throw errorFromBody(body.error, response.status);
    if (!(response.headers.get('content-type') ?? '').startsWith('image/')) {
      throw new LoginError(LoginError.BAD_RESPONSE, 'The code URL did not answer with an image.', response.status);
    }
    return body.image;
  }
}

function objectUrls(): ObjectUrls {
  return globalThis.URL as unknown as ObjectUrls;
}
