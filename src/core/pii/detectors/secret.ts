import type { Detection } from '../pii-type.js';

const secretPatterns: readonly RegExp[] = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-api03-…).
  /(?<![\w-])sk-(?:ant-[a-z]+\d*-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{40,255}/g,
  /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/g,
  /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g,
  /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g,
];

// PEM private keys are found by their BEGIN line, then the next END line: a lazy [\s\S]*? to
// the END scanned the rest of the text once per BEGIN, quadratic in a text of BEGIN lines.
const pemBegin = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/g;
const pemEnd = /-----END (?:[A-Z]+ )*PRIVATE KEY-----/g;

// The value after an explicit label: `aws_secret_access_key = …`, `password: …`, `Passwort: …`.
const labelled =
  /\b(?:aws_secret_access_key|secret[_ ]?key|client[_ ]secret|api[_ ]?key|access[_ ]token|password|passwd|pwd|passwort|kennwort|mot de passe|contraseña)["']?\s*(?:[:=]|is)\s*["']?([^\s"',;]{6,})/gi;

/** API keys in their vendors' formats, JWTs, PEM private keys, and values labelled as passwords or keys. */
export function detectSecrets(text: string): Detection[] {
  const found: Detection[] = [];
  for (const pattern of secretPatterns) {
    for (const match of text.matchAll(pattern)) {
      // A real key mixes letters and digits; "sk-learn-compatible-estimators" does not.
      if (/\d/.test(match[0]) && /[A-Za-z]/.test(match[0])) found.push({ type: 'SECRET', start: match.index, end: match.index + match[0].length });
    }
  }
  let covered = 0;
  for (const begin of text.includes('-----BEGIN ') ? text.matchAll(pemBegin) : []) {
    if (begin.index < covered) continue;
    pemEnd.lastIndex = begin.index;
    const end = pemEnd.exec(text);
    // No END after this BEGIN means none after any later one either.
    if (!end) break;
    covered = end.index + end[0].length;
    found.push({ type: 'SECRET', start: begin.index, end: covered });
  }
  for (const match of text.matchAll(labelled)) {
    const value = match[1]!;
    // "my password is expired" names no password; real ones carry a digit or a symbol.
    if (!/[^\p{L}]/u.test(value)) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  return found;
}
