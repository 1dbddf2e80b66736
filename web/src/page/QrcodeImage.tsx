import { useState } from 'react';
import type { LoginTicket } from '../client';
import { explainQrcodeFailure } from './qrcode-failure';

interface Props {
  ticket: LoginTicket;
  alt: string;
  onFail: (code: string) => void;
}

/**
 * The code image. When it fails to load, the same URL is fetched to learn why: if it
 * answers now (the failure was passing), the image loads once more; otherwise the
 * server's error code goes to `onFail`. Mount one per ticket (key it by ticket id).
 */
export function QrcodeImage({ ticket, alt, onFail }: Props) {
  const [reloads, setReloads] = useState(0);
  const failed = async () => {
    const code = await explainQrcodeFailure(ticket.qrcodeUrl);
    if (code === null && reloads === 0) setReloads(1);
    else onFail(code ?? 'QRCODE_FAILED');
  };
  return (
    <img
      key={reloads}
      className="qrcode"
      src={ticket.qrcodeUrl}
      alt={alt}
      width={240}
      height={240}
      data-testid="login-qrcode"
      onError={() => void failed()}
    />
  );
}
