import { LoginError } from '../client';
import { requestJson } from '../client/http-json';

/**
 * An <img> that fails to load says nothing about why; fetching the same URL reads
 * the server's error code (WECHAT_*, RATE_LIMITED, NETWORK_ERROR, …) so the page can
 * say it. Null when the URL now answers with the image.
 */
export async function explainQrcodeFailure(url: string): Promise<string | null> {
  try {
    await requestJson((input, init) => fetch(input, init), url);
  } catch (error) {
    if (!(error instanceof LoginError)) return 'QRCODE_FAILED';
    const succeeded = error.httpStatus >= 200 && error.httpStatus < 300;
    return succeeded ? null : error.code;
  }
  return null;
}
