import { Errcode } from '../wechat-errcodes';
import { parseJsonObject } from './json-object';
import { SIMULATED_PAGES } from './simulated-app';

/** A getwxacodeunlimit body that passed WeChat's checks. */
export interface WxacodeRequest {
  scene: string;
  page: string;
  /** pixels, clamped to 280–1280 as WeChat does */
  width: number;
  /** '#rrggbb' */
  lineColor: string;
  isHyaline: boolean;
}

const SCENE_MAX_LENGTH = 32;
const PAGE_MAX_LENGTH = 256;
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const ENV_VERSIONS = ['release', 'trial', 'develop'];
const DEFAULT_WIDTH = 430;
const MIN_WIDTH = 280;
const MAX_WIDTH = 1280;

/**
 * Checks a raw getwxacodeunlimit body field by field with WeChat's errcodes; the raw text,
 * because a body that is not JSON has its own errcode (40169).
 */
export function parseWxacodeRequest(rawBody: string): WxacodeRequest | number {
  const body = parseJsonObject(rawBody);
  if (body === undefined) return Errcode.INVALID_SCENE_LENGTH;

  const { scene } = body;
  if (typeof scene !== 'string' || scene.length === 0 || scene.length > SCENE_MAX_LENGTH) {
    return Errcode.INVALID_SCENE_LENGTH;
  }
  if (!SCENE_CHARS.test(scene)) return Errcode.INVALID_SCENE;

  const page = body.page ?? '';
  const checkPath = body.check_path ?? true;
  if (typeof page !== 'string' || typeof checkPath !== 'boolean') return Errcode.DATA_FORMAT_ERROR;
  // WeChat's own limit on the length of `page` is not documented; a mini-program page path
  // is short, and ours must still fit in the QR code with the URL around it.
  if (page.length > PAGE_MAX_LENGTH || page.startsWith('/') || page.includes('?')) return Errcode.INVALID_PAGE;
  if (checkPath && page !== '' && !SIMULATED_PAGES.includes(page)) return Errcode.INVALID_PAGE;

  const envVersion = body.env_version ?? 'release';
  if (typeof envVersion !== 'string') return Errcode.DATA_FORMAT_ERROR;
  if (!ENV_VERSIONS.includes(envVersion)) return Errcode.INVALID_ARGS;

  const width = body.width ?? DEFAULT_WIDTH;
  if (typeof width !== 'number' || !Number.isInteger(width)) return Errcode.DATA_FORMAT_ERROR;

  const autoColor = body.auto_color ?? false;
  const isHyaline = body.is_hyaline ?? false;
  if (typeof autoColor !== 'boolean' || typeof isHyaline !== 'boolean') return Errcode.DATA_FORMAT_ERROR;
  const lineColor = body.line_color === undefined ? '#000000' : colorOf(body.line_color);
  if (lineColor === undefined) return Errcode.DATA_FORMAT_ERROR;

  return {
    scene,
    page: page === '' ? SIMULATED_PAGES[0] : page,
    width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)),
    // auto_color lets WeChat pick the colour; black is as good a pick as any.
    lineColor: autoColor ? '#000000' : lineColor,
    isHyaline,
  };
}

function colorOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { r, g, b } = value as Record<string, unknown>;
  let hex = '#';
  for (const channel of [r, g, b]) {
    if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 0 || channel > 255) return undefined;
    hex += channel.toString(16).padStart(2, '0');
  }
  return hex;
}
