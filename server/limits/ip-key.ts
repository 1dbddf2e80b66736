import { isIPv6 } from 'node:net';

/**
 * The key a limit counts an address under. An IPv6 client is given a whole /64 (often
 * far more) by its provider, so counting single addresses would let one client rotate
 * through 2^64 of them; its /64 is what identifies it, as an IPv4 address does.
 */
export function ipKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  return `${expand(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` filled in, leading zeros dropped. */
function expand(ip: string): string[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) counts as two groups; it lies past /64.
  const rightGroups = right.flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const missing = 8 - left.length - rightGroups.length;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...rightGroups];
  return groups.map((group) => (parseInt(group, 16) || 0).toString(16));
}
