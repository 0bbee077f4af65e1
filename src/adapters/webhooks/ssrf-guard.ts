import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction, type Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';

export interface TargetPolicyOptions {
  /** Hostnames, `*.suffix` wildcards, IPs or CIDRs (v4 and v6) webhooks may reach anyway. */
  allow: string[];
}

/** Special-purpose IPv4 ranges (RFC 6890 and friends): nothing a public webhook lives on. */
const forbiddenV4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including the broadcast address 255.255.255.255
];

/**
 * Special-purpose IPv6 ranges. IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4
 * (2002::/16) addresses are judged by the IPv4 address they carry instead.
 */
const forbiddenV6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible addresses
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments, including Teredo
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

const forbidden = new BlockList();
for (const [network, prefix] of forbiddenV4) forbidden.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of forbiddenV6) forbidden.addSubnet(network, prefix, 'ipv6');

/**
 * Which webhook targets Breakwater may connect to. Every special-purpose address (loopback,
 * private, link-local, metadata, multicast, reserved…) is forbidden unless allow-listed.
 */
export class TargetPolicy {
  private readonly allowedAddresses = new BlockList();
  private readonly allowedHosts = new Set<string>();
  private readonly allowedSuffixes: string[] = [];

  constructor(options: TargetPolicyOptions) {
    options.allow.forEach((entry, index) => this.addAllowed(entry.trim(), `webhooks.allow[${index}]`));
  }

  /** Parses a webhook URL and rejects what is forbidden before any DNS lookup. */
  checkUrl(url: string, param = 'webhook.url'): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BreakwaterError('WEBHOOK_TARGET_FORBIDDEN', 'The webhook URL is not a valid absolute URL; use https://host/path.', { param });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new BreakwaterError('WEBHOOK_TARGET_FORBIDDEN', `Webhook URLs must use http or https, not ${parsed.protocol.slice(0, -1)}.`, { param });
    }
    if (parsed.username !== '' || parsed.password !== '') {
      throw new BreakwaterError('WEBHOOK_TARGET_FORBIDDEN', 'Webhook URLs must not carry credentials (user:password@); verify the breakwater-signature header instead.', { param });
    }
    const host = unbracket(parsed.hostname);
    if (isIP(host) !== 0 && !this.checkAddress(host, host)) throw forbiddenTarget(host, host, param);
    return parsed;
  }

  /** True when connecting to `ip` (resolved from `host`) is allowed. */
  checkAddress(ip: string, host: string): boolean {
    const family = isIP(ip);
    if (family === 0) return false;
    if (this.isAllowedHost(host)) return true;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const embedded = family === 6 ? embeddedIpv4(ip) : null;
    if (this.allowedAddresses.check(ip, type) || (embedded !== null && this.allowedAddresses.check(embedded, 'ipv4'))) return true;
    // BlockList matches IPv4-mapped addresses against the IPv4 rules itself; NAT64 and 6to4 need the explicit check.
    return !forbidden.check(ip, type) && !(embedded !== null && forbidden.check(embedded, 'ipv4'));
  }

  private isAllowedHost(host: string): boolean {
    const name = normaliseHost(host);
    return this.allowedHosts.has(name) || this.allowedSuffixes.some((suffix) => name.endsWith(suffix));
  }

  private addAllowed(entry: string, path: string): void {
    const [address, prefix, ...rest] = unbracket(entry).split('/');
    const family = isIP(address ?? '');
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) return this.allowedAddresses.addAddress(address!, type);
      const bits = Number(prefix);
      if (rest.length === 0 && /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128)) return this.allowedAddresses.addSubnet(address!, bits, type);
    } else if (entry.startsWith('*.') && isHostname(entry.slice(2))) {
      this.allowedSuffixes.push(normaliseHost(entry.slice(1)));
      return;
    } else if (isHostname(entry)) {
      this.allowedHosts.add(normaliseHost(entry));
      return;
    }
    throw new BreakwaterError(
      'CONFIG_INVALID',
      `${path}: "${entry}" is not a hostname, *.suffix wildcard, IP address or CIDR (e.g. hooks.internal.example, *.internal.example, 10.0.0.0/8).`,
    );
  }
}

/**
 * An undici dispatcher that re-checks every address it connects to: a hostname is resolved
 * once, refused if ANY of its addresses is forbidden, and the socket goes to one of exactly
 * those addresses. A DNS answer that changes after `checkUrl` (rebinding) cannot slip past.
 */
export function guardedDispatcher(policy: TargetPolicy, options: { connectTimeoutMs?: number } = {}): Agent {
  const connect = buildConnector({ lookup: guardedLookup(policy), timeout: options.connectTimeoutMs ?? 10_000 });
  return new Agent({
    connect: (connectOptions, callback) => {
      const host = unbracket(connectOptions.hostname);
      // net.connect skips `lookup` for literal IPs, so those are checked here.
      if (isIP(host) !== 0 && !policy.checkAddress(host, host)) return callback(forbiddenTarget(host, host), null);
      connect(connectOptions, (error, socket) => {
        if (error !== null) return callback(error, null);
        const remote = (socket as Socket).remoteAddress;
        // Belt and braces: the address actually connected to, whatever resolved it.
        if (remote === undefined || !policy.checkAddress(remote, host)) {
          socket.destroy();
          return callback(forbiddenTarget(host, remote ?? 'an unknown address'), null);
        }
        callback(null, socket);
      });
    },
  });
}

function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family ?? 0, hints: options.hints ?? 0, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) return callback(error, []);
      const refused = addresses.find((entry) => !policy.checkAddress(entry.address, hostname));
      if (refused !== undefined) return callback(forbiddenTarget(hostname, refused.address), []);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), []);
      if (options.all === true) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * The refusal as a tenant sees it (an API answer, a delivery's `last_error`): what to fix,
 * never the address a name resolved to, which would map the private network for whoever
 * picks the hostname. The address is in the cause, for the operator's log.
 */
function forbiddenTarget(host: string, address: string, param = 'webhook.url'): BreakwaterError {
  return new BreakwaterError(
    'WEBHOOK_TARGET_FORBIDDEN',
    'The webhook URL points to or resolves to a loopback, private, link-local or reserved address; use a public https URL (or have an operator add the host to webhooks.allow).',
    { param, details: { host }, cause: new Error(host === address ? `${host} is a special-purpose address` : `${host} resolved to ${address}`) },
  );
}

/** The IPv4 address carried by an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(ip: string): string | null {
  const words = ipv6Words(ip);
  if (words === null) return null;
  const zero = (from: number, to: number) => words.slice(from, to).every((word) => word === 0);
  if (zero(0, 5) && words[5] === 0xffff) return wordsToIpv4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return wordsToIpv4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return wordsToIpv4(words[1]!, words[2]!);
  return null;
}

function ipv6Words(ip: string): number[] | null {
  let text = ip.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted !== null) {
    const bytes = dotted[1]!.split('.').map(Number);
    text = text.slice(0, dotted.index) + `${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part === undefined || part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const left = parse(head);
  const right = parse(tail);
  const words = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return words.length === 8 && words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffff) ? words : null;
}

function wordsToIpv4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function isHostname(value: string): boolean {
  return /^(?=.{1,253}\.?$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(value);
}
