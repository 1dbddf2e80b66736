import { useEffect, useState } from 'react';
import type { WeChatMode } from '../client';
import { isRecord, requestJson } from '../client/http-json';
import { parseWeChatMode } from '../client/wechat-mode';

/**
 * Whether the server runs the WeChat simulator, as the latest ticket said. A page that
 * shows no code (`loggedIn`, e.g. after a reload) and has not seen a ticket asks
 * `GET /healthz` instead. Null while unknown.
 */
export function useWeChatMode(fromTicket: WeChatMode | undefined, loggedIn: boolean): WeChatMode | null {
  const [known, setKnown] = useState<WeChatMode | null>(null);
  useEffect(() => {
    if (fromTicket) setKnown(fromTicket);
  }, [fromTicket]);
  useEffect(() => {
    if (!loggedIn || known !== null) return;
    let current = true;
    void healthWeChatMode(window.location.origin).then((mode) => current && setKnown(mode));
    return () => {
      current = false;
    };
  }, [loggedIn, known]);
  return fromTicket ?? known;
}

/** The `wechat` field of `/healthz`; null when it cannot be read (the notice is only a notice). */
async function healthWeChatMode(baseUrl: string): Promise<WeChatMode | null> {
  try {
    const { body } = await requestJson((url, init) => fetch(url, init), `${baseUrl}/healthz`);
    return (isRecord(body) && parseWeChatMode(body.wechat)) || null;
  } catch {
    return null;
  }
}
