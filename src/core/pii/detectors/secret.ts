import type { Detection } from '../pii-type.js';
import { detectCommandLineSecrets } from './command-line-secret.js';
import { detectContextSecrets, looksRandom } from './context-secret.js';

/**
 * Vendor key formats. `hints`: strings one of which every match contains, checked first so
 * that two dozen patterns cost a few substring searches on text with no key. `mixed`: a real
 * key of this format holds both letters and digits.
 */
const secretPatterns: readonly { pattern: RegExp; hints: readonly string[]; mixed: boolean }[] = [
  // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-api03-…).
  { pattern: /(?<![\w-])sk-(?:ant-[a-z]+\d*-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, hints: ['sk-'], mixed: true },
  { pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g, hints: ['AKIA', 'ASIA'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{20,255}(?![A-Za-z0-9])/g, hints: ['gh'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{40,255}/g, hints: ['github_pat_'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, hints: ['_live_', '_test_'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{24,}/g, hints: ['whsec_'], mixed: true },
  { pattern: /(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}/g, hints: ['xox'], mixed: true },
  { pattern: /(?<![A-Za-z0-9])xapp-\d-[A-Za-z0-9-]{20,}/g, hints: ['xapp-'], mixed: true },
  { pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g, hints: ['hooks.slack.com'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{30,40}(?![A-Za-z0-9_-])/g, hints: ['AIza'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_-])(?:ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,})/g, hints: ['ya29.', 'GOCSPX-'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g, hints: ['eyJ'], mixed: true },
  // GitLab personal, deploy, runner, pipeline-trigger and service-account tokens.
  { pattern: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|soat|cbt|imt|agent)-[A-Za-z0-9_-]{20,}/g, hints: ['gl'], mixed: false },
  { pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, hints: ['npm_'], mixed: false },
  // Hugging Face tokens are letters only.
  { pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])/g, hints: ['hf_'], mixed: false },
  { pattern: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g, hints: ['SG.'], mixed: false },
  // Twilio API key SIDs (SK…); account SIDs (AC…) identify an account and are not secret.
  { pattern: /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g, hints: ['SK'], mixed: true },
  { pattern: /(?<![A-Za-z0-9_])(?:shpat|shpss|shpca|shppa)_[a-fA-F0-9]{32}(?![A-Za-z0-9])/g, hints: ['shp'], mixed: false },
  { pattern: /(?<![A-Za-z0-9_])(?:dop|doo|dor)_v1_[a-f0-9]{64}(?![A-Za-z0-9])/g, hints: ['_v1_'], mixed: false },
  {
    pattern:
      /(?<![A-Za-z0-9_])(?:gsk_[A-Za-z0-9]{40,}|r8_[A-Za-z0-9]{30,}|pplx-[A-Za-z0-9]{40,}|xai-[A-Za-z0-9]{40,}|lin_api_[A-Za-z0-9]{30,}|ntn_[A-Za-z0-9]{40,}|sbp_[a-f0-9]{40}|PMAK-[a-f0-9]{24}-[a-f0-9]{34}|NRAK-[A-Z0-9]{27}|glsa_[A-Za-z0-9_]{32,}|dapi[a-f0-9]{32})(?![A-Za-z0-9])/g,
    hints: ['gsk_', 'r8_', 'pplx-', 'xai-', 'lin_api_', 'ntn_', 'sbp_', 'PMAK-', 'NRAK-', 'glsa_', 'dapi'],
    mixed: true,
  },
  { pattern: /(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{50,}/g, hints: ['pypi-'], mixed: false },
  { pattern: /(?<![A-Za-z0-9])key-[0-9a-f]{32}(?![A-Za-z0-9])/g, hints: ['key-'], mixed: true },
  // Telegram bot tokens: the bot's id, a colon, then 35 characters starting AA.
  { pattern: /(?<![\w:])\d{8,10}:AA[0-9A-Za-z_-]{33}(?![\w-])/g, hints: [':AA'], mixed: false },
  { pattern: /(?<![A-Za-z0-9])AGE-SECRET-KEY-1[0-9A-Z]{58}(?![A-Za-z0-9])/g, hints: ['AGE-SECRET-KEY-'], mixed: false },
  // Mailchimp (32 hex, a dash, the data centre), Square, Atlassian, Figma, Doppler, Mapbox secret
  // (sk.eyJ…; pk.eyJ… is a public token), Google OAuth refresh tokens (1//0…).
  { pattern: /(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])/g, hints: ['-us'], mixed: true },
  {
    pattern:
      /(?<![A-Za-z0-9_-])(?:sq0(?:atp|csp|idp)-[A-Za-z0-9_-]{22,}|EAAA[A-Za-z0-9_-]{60,}|ATATT3[A-Za-z0-9_=-]{40,}|figd_[A-Za-z0-9_-]{30,}|dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,}|sk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{16,})/g,
    hints: ['sq0', 'EAAA', 'ATATT3', 'figd_', 'dp.', 'sk.eyJ'],
    mixed: true,
  },
  { pattern: /(?<![A-Za-z0-9/])1\/\/0[A-Za-z0-9_-]{30,}/g, hints: ['1//0'], mixed: true },
];

// PEM private keys are found by their BEGIN line, then the next END line: a lazy [\s\S]*? to
// the END scanned the rest of the text once per BEGIN, quadratic in a text of BEGIN lines.
const pemBegin = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/g;
const pemEnd = /-----END (?:[A-Z]+ )*PRIVATE KEY-----/g;

// The value after an explicit label: `aws_secret_access_key = …`, `password: …`, `Passwort: …`.
const labelled =
  /\b(?:aws_secret_access_key|secret[_ ]?key|client[_ ]secret|api[_ ]?key|access[_ ]token|password|passwd|pwd|passwort|kennwort|mot de passe|contraseña|clave|wachtwoord|senha|hasło|haslo)["']?[ \t]*(?:[:=]|[ \t](?:is|ist|lautet|est|es|é|è|jest|to|was)[ \t])[ \t]*["']?([^\s"',;]{6,})/gi;
// Weaker labels ("token: …", "pass: …", "pw …", "secret = …", "PAT: …"): the value must mix letters and digits.
const weaklyLabelled =
  /\b(?:token|auth[_ ]?token|secret|pass|pw|passcode|passphrase|pat|mdp|wifi[_ ]?(?:key|code)|código de acceso|zugangscode|toegangscode)["']?[ \t]*(?:[:=]|[ \t](?:is|ist|est|es|é|è|jest|to|was)[ \t])[ \t]*["']?([^\s"',;]{6,})/gi;
// After "password:" or "password=" a value of letters alone is still a password, unless it is one of these.
const notPasswords = new Set([
  'required',
  'optional',
  'password',
  'passwort',
  'wachtwoord',
  'undefined',
  'redacted',
  'changeme',
  'placeholder',
  'yourpassword',
  'hidden',
  'string',
]);

// "password: ********", "api_key: [FILTERED]", "token: <YOUR_TOKEN_HERE>", "${DB_PASSWORD}", "{{ vault_pw }}": no value.
const placeholder = /^(?:[*•·xX#.-]{3,}|\[[A-Za-z _-]+\]|<[^<>]*>?|\$\{[^}]*\}?|\{\{.*|%[A-Za-z_]+%)$/;
// "Passwort für den Testserver: …", "password for the staging db: …": a few words between the label and its colon.
const labelThenWords =
  /(?<![\p{L}])(?:password|passwort|kennwort|mot de passe|contraseña|wachtwoord|senha|hasło|haslo|passwd)(?:[ \t]+[\p{L}-]{1,20}){1,4}[ \t]*:[ \t]*["']?([^\s"',;]{8,})/giu;

// A key named in one attribute and its value in the next: `<add key="ApiSecret" value="…" />`,
// `{"name": "DB_PASSWORD", "value": "…"}` (.NET config, Kubernetes env lists, settings tables).
const namedValue =
  /(?:key|name)["']?[ \t]*[=:][ \t]*["'][\w.-]{0,40}?(?:secret|token|passw(?:or)?d|api[_-]?key|apikey|access[_-]?key|credential)[\w.-]{0,20}["'][ \t]*,?[ \t]*["']?value["']?[ \t]*[=:][ \t]*["']([^"'\s]{8,256})["']/gi;

/**
 * API keys in their vendors' formats, JWTs, PEM private keys, values labelled as passwords or
 * keys, passwords in connection URLs, and high-entropy values next to a word like "token"
 * (context-secret.ts).
 */
export function detectSecrets(text: string): Detection[] {
  const found: Detection[] = [...detectContextSecrets(text), ...detectCommandLineSecrets(text)];
  for (const { pattern, hints, mixed } of secretPatterns) {
    if (!hints.some((hint) => text.includes(hint))) continue;
    for (const match of text.matchAll(pattern)) {
      // A real key mixes letters and digits; "sk-learn-compatible-estimators" does not.
      if (!mixed || (/\d/.test(match[0]) && /[A-Za-z]/.test(match[0]))) found.push({ type: 'SECRET', start: match.index, end: match.index + match[0].length });
    }
  }
  let covered = 0;
  let noEnd = false;
  for (const begin of text.includes('-----BEGIN ') ? text.matchAll(pemBegin) : []) {
    if (begin.index < covered) continue;
    // No END after one BEGIN means none after any later one either: search no more.
    pemEnd.lastIndex = begin.index;
    const end: RegExpExecArray | null = noEnd ? null : pemEnd.exec(text);
    noEnd = end === null;
    // No END after this BEGIN (a key pasted in part): the BEGIN line and the base64 lines under it.
    if (!end) {
      const body = /^(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9+/=]{16,})+/.exec(text.slice(begin.index + begin[0].length, begin.index + begin[0].length + 16_384));
      covered = begin.index + begin[0].length + (body?.[0].length ?? 0);
      found.push({ type: 'SECRET', start: begin.index, end: covered });
      continue;
    }
    covered = end.index + end[0].length;
    found.push({ type: 'SECRET', start: begin.index, end: covered });
  }
  for (const match of text.matchAll(labelled)) {
    const value = match[1]!;
    // "my password is expired" names no password; real ones carry a digit or a symbol, or
    // follow a ":" or "=" ("password=correcthorsebatterystaple").
    const assigned = /[:=]/.test(match[0].slice(0, match[0].length - value.length));
    if (placeholder.test(value) || (!/[^\p{L}]/u.test(value) && !(assigned && value.length >= 8 && !notPasswords.has(value.toLowerCase())))) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  for (const match of text.matchAll(namedValue)) {
    const value = match[1]!;
    if (placeholder.test(value) || !looksRandom(value)) continue;
    const start = match.index + match[0].length - 1 - value.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  for (const match of text.matchAll(labelThenWords)) {
    const value = match[1]!;
    if (!looksRandom(value)) continue;
    const start = match.index + match[0].length - value.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  for (const match of text.matchAll(weaklyLabelled)) {
    const value = match[1]!.replace(/[.)]+$/, '');
    if (!/\d/.test(value) || !/\p{L}/u.test(value) || value.length < 6 || /^(?:https?:|v?\d+(?:\.\d+)+$|\d{4}-\d{2}-\d{2})/.test(value)) continue;
    const start = match.index + match[0].length - match[1]!.length;
    found.push({ type: 'SECRET', start, end: start + value.length });
  }
  return found;
}
