import { isRecord } from './http-json';
import type { LoginUser, TicketStatus } from './types';

/** One report of a ticket's status, from a ws message or a poll. */
export interface StatusUpdate {
  status: TicketStatus;
  expiresAt?: Date;
  token?: string;
  user?: LoginUser;
}

const statuses: readonly string[] = ['pending', 'scanned', 'confirmed', 'cancelled', 'expired'];

/** Reads a status payload; null when it is not one. */
export function parseStatusUpdate(value: unknown): StatusUpdate | null {
  if (!isRecord(value) || typeof value.status !== 'string' || !statuses.includes(value.status)) return null;
  const update: StatusUpdate = { status: value.status as TicketStatus };
  if (typeof value.expiresAt === 'string' && !Number.isNaN(Date.parse(value.expiresAt))) {
    update.expiresAt = new Date(value.expiresAt);
  }
  if (typeof value.token === 'string') update.token = value.token;
  const user = parseUser(value.user);
  if (user) update.user = user;
  return update;
}

export function parseUser(value: unknown): LoginUser | null {
  if (!isRecord(value) || typeof value.id !== 'string') return null;
  return {
    id: value.id,
    nickname: typeof value.nickname === 'string' ? value.nickname : null,
    avatarUrl: typeof value.avatarUrl === 'string' ? value.avatarUrl : null,
    createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
  };
}
