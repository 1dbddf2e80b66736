import type { Context } from 'koa';

/** The credential of `Authorization: Bearer <credential>`, if there is one. */
export function bearer(ctx: Context): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
  return match?.[1];
}
