/**
 * An absolute http(s) URL, or undefined. Pages put these URLs in links and images, so
 * anything else (a `javascript:` URL above all) is dropped rather than passed on.
 */
export function parseHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    return undefined;
  }
  return protocol === 'http:' || protocol === 'https:' ? value : undefined;
}
