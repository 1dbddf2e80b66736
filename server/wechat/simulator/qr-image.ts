import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

export interface QrImageOptions {
  /** pixels; the image is square */
  width: number;
  /** '#rrggbb' */
  color: string;
  /** transparent background, as WeChat's is_hyaline */
  transparent: boolean;
}

/** The quiet zone QR readers need around the symbol, in modules. */
const MARGIN = 4;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIT_DEPTH_1 = 1;
const COLOR_TYPE_PALETTE = 3;

/**
 * A real QR code PNG. WeChat draws a round code only its app can read; a plain QR code lets
 * a phone camera or a test's decoder "scan" the simulated one.
 *
 * `qrcode` makes the symbol; the PNG is written here as a two-colour palette image, because
 * qrcode's RGBA renderer spends a quarter of a second per large image on pngjs's filters
 * (and far longer inside Jest's sandbox) to compress what is only two colours. One bit a
 * pixel: at a byte a pixel, deflating the 430-pixel default took 3 ms of a login's CPU.
 */
export function renderQrPng(text: string, options: QrImageOptions): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { width } = options;
  const span = modules.size + 2 * MARGIN;
  const moduleAt = (pixel: number) => Math.floor((pixel * span) / width) - MARGIN;
  const inSymbol = (index: number) => index >= 0 && index < modules.size;

  const columns = Array.from({ length: width }, (_, x) => moduleAt(x));
  // Each scanline is a filter byte (0: none) then the palette index of each pixel, one bit
  // each, most significant bit first.
  const rowLength = 1 + Math.ceil(width / 8);
  const pixels = Buffer.alloc(rowLength * width);
  let previous = Number.NaN;
  for (let y = 0; y < width; y++) {
    const row = moduleAt(y);
    const start = y * rowLength;
    if (row === previous) {
      pixels.copy(pixels, start, start - rowLength, start);
      continue;
    }
    previous = row;
    if (!inSymbol(row)) continue;
    for (let x = 0; x < width; x++) {
      const column = columns[x];
      if (inSymbol(column) && modules.data[row * modules.size + column]) pixels[start + 1 + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header.set([BIT_DEPTH_1, COLOR_TYPE_PALETTE, 0, 0, 0], 8);
  const palette = Buffer.from(`ffffff${options.color.slice(1)}`, 'hex');
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', palette),
    ...(options.transparent ? [chunk('tRNS', Buffer.from([0, 255]))] : []),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const framed = Buffer.alloc(typeAndData.length + 8);
  framed.writeUInt32BE(data.length, 0);
  typeAndData.copy(framed, 4);
  framed.writeUInt32BE(crc32(typeAndData), framed.length - 4);
  return framed;
}
