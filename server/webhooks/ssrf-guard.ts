import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may never reach (unless ALLOW_PRIVATE_WEBHOOKS): loopback, private,
 * carrier-grade NAT, link-local (the clouds' metadata service, 169.254.169.254 and fd00:ec2::254),
 * multicast, reserved and unspecified ones; IPv4 inside IPv6 (mapped, NAT64) is judged as IPv4.
 */
const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, bits, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  const embedded = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1] ?? embeddedHex(lower);
  if (embedded) return BLOCKED.check(embedded, 'ipv4');
  return BLOCKED.check(lower, 'ipv6');
}

/** `::ffff:7f00:1` (how URL parsers write a mapped address) → `127.0.0.1`. */
function embeddedHex(address: string): string | undefined {
  const match = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!match) return undefined;
  const high = parseInt(match[1]!, 16);
  const low = parseInt(match[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'blocked_address';
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;
export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The address to connect to for `hostname`: resolved once, every address checked (a name with
 * one private address among public ones is refused: an attacker's DNS chooses which one we would
 * use), the first one answered. The caller connects to that address, never resolving again, so a
 * DNS answer that changes between the check and the connection (rebinding) cannot slip through.
 */
export async function resolveAllowed(hostname: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<{ address: string; family: number }> {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await resolve(bare);
  if (addresses.length === 0) throw new Error(`${bare} has no address`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) {
      throw new BlockedAddressError(
        `${bare} is or resolves to ${blocked.address}, a loopback, private, link-local or reserved address: webhooks go to public addresses only.`,
      );
    }
  }
  return addresses[0]!;
}
