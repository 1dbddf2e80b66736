import type { Transport } from '../../../miniapp/src/scan-login/lib/api';

/**
 * A Transport over Node's fetch that behaves like Taro.request: it resolves for every HTTP
 * status with the body parsed as JSON (the raw text when it is not JSON) and the headers
 * (names in lower case, as on H5), and rejects only when no answer arrives.
 */
export const fetchTransport: Transport = async ({ method, url, data, header }) => {
  const response = await fetch(url, {
    method,
    headers: header,
    body: data === undefined ? undefined : JSON.stringify(data),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text, as Taro.request does on weapp.
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { statusCode: response.status, data: parsed, header: headers };
};
