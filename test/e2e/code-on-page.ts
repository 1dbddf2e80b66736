import type { Page } from 'playwright-core';
import { decodeQr } from '../support/qr';

const SCENE = /[?&]scene=([0-9A-Za-z]{22})$/;

/**
 * Waits for the login code to be on screen (also inside a drop-in's open shadow root,
 * which locators pierce) and returns the ticket id read from its QR text as a phone
 * would, with the image's `src`.
 */
export async function scanCode(page: Page): Promise<{ ticketId: string; src: string | null }> {
  const image = page.getByTestId('login-qrcode');
  await image.waitFor({ timeout: 8000 });
  await image.evaluate(
    (img: HTMLImageElement) =>
      new Promise<void>((resolve) => {
        if (img.complete && img.naturalWidth > 0) resolve();
        else img.addEventListener('load', () => resolve(), { once: true });
      }),
  );
  const src = await image.getAttribute('src');
  const text = decodeQr(await image.screenshot());
  const match = SCENE.exec(text);
  if (!match) throw new Error(`unexpected QR text: ${text}`);
  return { ticketId: match[1], src };
}

/** `scanCode` for a page of another origin, which must show the code through a `blob:` URL. */
export async function scanBlobCode(page: Page): Promise<string> {
  const { ticketId, src } = await scanCode(page);
  if (!src?.startsWith('blob:')) throw new Error(`the code is not shown through a blob: URL but ${src}`);
  return ticketId;
}

/** Waits until the status line says `status` (its `data-status`). */
export function statusIs(page: Page, status: string): Promise<void> {
  return page.locator(`[data-testid="login-status"][data-status="${status}"]`).waitFor({ timeout: 8000 });
}
