import { UAParser } from 'ua-parser-js';
import type { Ticket } from '../core/ticket';

export interface RequesterView {
  ip: string;
  browser: string;
  os: string;
  createdAt: string;
}

interface Agent {
  browser: string;
  os: string;
}

/** Parsing a user agent runs dozens of regular expressions; visitors share a few hundred. */
const MAX_AGENTS = 500;
const agents = new Map<string, Agent>();

function agentOf(userAgent: string): Agent {
  const known = agents.get(userAgent);
  if (known) return known;
  const ua = new UAParser(userAgent).getResult();
  const name = (part: { name?: string; version?: string }, major?: string) =>
    [part.name, major ?? part.version].filter(Boolean).join(' ') || 'Unknown';
  const agent = { browser: name(ua.browser, ua.browser.major), os: name(ua.os) };
  // Anyone can send any user agent: the memory stays bounded by starting over when full.
  if (agents.size >= MAX_AGENTS) agents.clear();
  agents.set(userAgent, agent);
  return agent;
}

/**
 * Who asked for the code, as the phone shows it ("Log in on Chrome/macOS?"). Seeing a
 * browser or place they do not recognise is how a user spots a forwarded code.
 */
export function requesterView(ticket: Ticket): RequesterView {
  return {
    ip: ticket.requester.ip,
    ...agentOf(ticket.requester.userAgent),
    createdAt: new Date(ticket.createdAt).toISOString(),
  };
}
