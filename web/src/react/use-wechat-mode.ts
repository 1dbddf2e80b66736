import { useEffect, useState } from 'react';
import type { WeChatMode } from '../client';
import { isRecord, requestJson } from '../client/http-json';
import { parseWeChatMode } from '../client/wechat-mode';

/**
 * Whether the server at `server` runs the WeChat simulator, as the latest ticket said. A
 * page that shows no code (`loggedIn`, e.g. after a reload) and has not seen a ticket asks
 * the standalone server's `GET /healthz` instead (a host of the library has none: no notice
 * then, which is right, since such a host runs real WeChat in production). Null while unknown.
 */
export function useWeChatMode(server: string, fromTicket: WeChatMode | undefined, loggedIn: boolean): WeChatMode | null {
  const [known, setKnown] = useState<WeChatMode | null>(null);
  useEffect(() => {
    if (fromTicket) setKnown(fromTicket);
  }, [fromTicket]);
  useEffect(() => {
    if (!loggedIn || known !== null) return;
    let current = true;
    void healthWeChatMode(server).then((mode) => current && setKnown(mode));
    return () => {
      current = false;
    };
  }, [server, loggedIn, known]);
  return fromTicket ?? known;
}

/** The `wechat` field of `/healthz`; null when it cannot be read (the notice is only a notice). */
async function healthWeChatMode(baseUrl: string): Promise<WeChatMode | null> {
  try {
    const { body } = await requestJson((url, init) => fetch(url, init), `${baseUrl.replace(/\/+$/, '')}/healthz`);
    return (isRecord(body) && parseWeChatMode(body.wechat)) || null;
  } catch {
    return null;
  }
}
