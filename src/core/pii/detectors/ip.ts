import { isIP } from 'node:net';
import type { Detection } from '../pii-type.js';

const ipv4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g;
const ipv6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
// "version 1.2.3.4" / "v10.0.0.1" are build numbers, not hosts.
const versionContext = /(?:\bv|\b(?:version|build|release|firmware|fw)\s*)$/i;
// 10.0.0.0/8 names a network, not a host; 192.168.1.10/24 is a host's address with its network's prefix.
const networkPrefix = /^\/\d{1,2}(?!\d)/;

/** IPv4 and IPv6 addresses, validated by node:net (so 999.1.1.1 and 10:30:00 are not addresses). */
export function detectIps(text: string): Detection[] {
  const found: Detection[] = [];
  if (text.includes('.')) {
    for (const match of text.matchAll(ipv4)) {
      const end = match.index + match[0].length;
      if (
        isIP(match[0]) === 4 &&
        !versionContext.test(text.slice(Math.max(0, match.index - 12), match.index)) &&
        !(networkPrefix.test(text.slice(end, end + 4)) && match[0].endsWith('.0'))
      ) {
        found.push({ type: 'IP', start: match.index, end });
      }
    }
  }
  if (text.includes(':')) {
    for (const match of text.matchAll(ipv6)) {
      // "04:8f:2a:91:00:3c:77:e1": eight two-digit groups and no "::" are a certificate serial or a byte dump.
      const byteString = !match[0].includes('::') && match[0].split(':').every((group) => group.length === 2);
      if (/[0-9A-Fa-f]/.test(match[0]) && !byteString && isIP(match[0]) === 6) found.push({ type: 'IP', start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}
