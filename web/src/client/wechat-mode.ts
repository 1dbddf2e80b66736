import type { WeChatMode } from './types';

/** The server's `wechat` field, or undefined when it is missing or not one of the two. */
export function parseWeChatMode(value: unknown): WeChatMode | undefined {
  return value === 'simulator' || value === 'real' ? value : undefined;
}
