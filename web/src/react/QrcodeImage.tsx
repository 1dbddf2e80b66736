import { useState, type RefObject } from 'react';
import type { LoginTicket } from '../client';
import { explainQrcodeFailure } from './qrcode-failure';

interface Props {
  ticket: LoginTicket;
  alt: string;
  /** Set to the image, which takes focus when a new code replaces the focused refresh button. */
  imageRef: RefObject<HTMLImageElement>;
  onFail: (code: string) => void;
}

/**
 * The code image (`imageUrl`: the code URL itself, or a `blob:` URL of it from another
 * origin). When it fails to load, the code URL is fetched (with CORS) to learn why: if it
 * answers now (the failure was passing), the image loads once more; otherwise the server's
 * error code goes to `onFail`. Mount one per ticket (key it by ticket id).
 */
export function QrcodeImage({ ticket, alt, imageRef, onFail }: Props) {
  const [reloads, setReloads] = useState(0);
  const failed = async () => {
    const code = await explainQrcodeFailure(ticket.qrcodeUrl);
    if (code === null && reloads === 0) setReloads(1);
    else onFail(code ?? 'QRCODE_FAILED');
  };
  return (
    <img
      key={reloads}
      ref={imageRef}
      className="msl-qrcode"
      src={ticket.imageUrl}
      alt={alt}
      width={240}
      height={240}
      // Focusable from script only: a code is not a control to tab to.
      tabIndex={-1}
      data-testid="login-qrcode"
      onError={() => void failed()}
    />
  );
}
