import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The text of the QR code in a PNG, read by a real decoder, as a phone camera would. */
export function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const qr = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (qr === null) throw new Error('the image holds no readable QR code');
  return qr.data;
}
