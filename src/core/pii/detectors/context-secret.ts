import type { Detection } from '../pii-type.js';

// `scheme://user:password@host`: the password only (the user and host are not secret). The
// user part cannot hold ':' '/' '@' or spaces, so each start is tried once and runs are short.
const urlPassword = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'<>]{0,64}:([^\s@/"'<>]{1,128})@[\w.-]/gi;

// A word that says a value is a credential, then (within a few characters of an identifier,
// quote, colon, equals or "is") the value itself. "SERVICE_TOKEN=…", "api_key: '…'",
// "Authorization: Bearer …", "my token is …", "x-api-key: …".
const keyword = String.raw`(?:token|secret|passw(?:or)?d|passwort|pwd|api[_ -]?key|apikey|access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|sas[_-]?token|auth(?:orization)?|bearer|credentials?|private[_-]?key|signing[_-]?key|client[_-]?secret|webhook[_-]?secret|x-api-key)`;
const contextual = new RegExp(
  String.raw`(?<![A-Za-z])${keyword}[A-Za-z0-9_-]{0,24}["']?[ \t]{0,3}(?:[:=]|=>|:=|\bis\b|[ \t](?=[A-Za-z0-9]))[ \t]{0,3}(?:bearer[ \t]+|token[ \t]+|basic[ \t]+)?["'\x60]?([A-Za-z0-9_\-+/=.~]{16,512})`,
  'gi',
);

// A key named in prose, in several languages, then its value: "the secret access key wJalr…",
// "here is the key: …", "Der API-Schlüssel lautet …", "La clé API est …", "De API-sleutel is …".
const namedKey = new RegExp(
  String.raw`(?<![\p{L}\d_])(?:(?:secret|access|api|private|signing|master|encryption|licen[cs]e)[ _-]?key|key|api[ _-]?schlüssel|schlüssel|clé(?:[ _-]api)?|api[ _-]?sleutel|sleutel|clave(?:[ _-]de[ _-]api)?|chiave(?:[ _-]api)?|chave(?:[ _-]de[ _-]api)?|klucz(?:[ _-]api)?)` +
    String.raw`[ \t]*(?::|=|[ \t](?:is|ist|lautet|est|es|è|é|jest|to|was)[ \t]|[ \t](?=\S{16}))[ \t]*["'\x60]?([A-Za-z0-9_\-+/=.~]{16,256})`,
  'giu',
);
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

/**
 * Looks random: letters and digits mixed, about 3 or more bits per character, and not a
 * path, a version, a date or a URL. A word, "changeme" or "0123456789abcdef…" is not a key.
 */
export function looksRandom(value: string): boolean {
  if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) return false;
  if (/^(?:https?|ftp)\b|\/\/|^\.{0,2}\//.test(value) || /^\d{4}-\d{2}-\d{2}/.test(value) || /^v?\d+(?:\.\d+)+$/.test(value)) return false;
  return entropy(value) >= (value.length >= 32 ? 3.2 : 3.0);
}

/** Passwords in connection URLs, and high-entropy values right after a credential word. */
export function detectContextSecrets(text: string): Detection[] {
  const found: Detection[] = [];
  if (text.includes('://')) {
    for (const match of text.matchAll(urlPassword)) {
      const password = match[1]!;
      const start = match.index + match[0].length - 2 - password.length;
      found.push({ type: 'SECRET', start, end: start + password.length });
    }
  }
  for (const match of text.matchAll(namedKey)) {
    const value = match[1]!.replace(/[.]+$/, '');
    // Hashes and UUIDs are what a cache, idempotency or lookup key usually is; vendor keys in hex have their own patterns.
    // pk_live_…, pk.eyJ…: publishable keys, public by design.
    if (!looksRandom(value) || /^[0-9a-f]+$/i.test(value) || uuidShape.test(value) || /^pk[_.]/.test(value)) continue;
    const start = match.index + match[0].length - match[1]!.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  for (const match of text.matchAll(contextual)) {
    const value = match[1]!.replace(/[.=]+$/, (tail) => (tail.includes('=') ? tail : ''));
    if (!looksRandom(value)) continue;
    const start = match.index + match[0].length - match[1]!.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  return found;
}
