/** What a provider knows is secret or internal about its own upstream. */
export interface UpstreamSecrets {
  /** Redacted wherever they appear, whatever their shape: the provider key, configured header values. */
  secrets: readonly string[];
  /** Host names of the upstream (its baseUrl's host), redacted as whole words. */
  hosts: readonly string[];
}

const redacted = '[redacted]';
/** Upstream bodies are cut to this before scrubbing, so a huge error body costs no more than a small one. */
const maxInput = 4096;

/** Credentials of well-known shapes; each pattern is linear (no nested quantifiers). */
const credentialPatterns: readonly RegExp[] = [
  // Authorization header values echoed back; a digit in the value tells "Basic auth failed" apart.
  /\b(Bearer|Basic|Token)\s+(?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi,
  // OpenAI (sk-, sk-proj-, sk-svcacct-), Anthropic (sk-ant-), DeepSeek and other sk- keys.
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  // GitHub tokens.
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  // Hugging Face, Groq, Stripe-style prefixed keys.
  /\b(?:hf|gsk|sk_live|sk_test|rk_live|rk_test|xai)[_-][A-Za-z0-9]{16,}/g,
  // JWTs (header.payload.signature, base64url, header starting with {").
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // PEM private keys.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]{0,4096}?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/**
 * A long opaque value right after a word that names a secret: `api_key=…`, `"token": "…"`,
 * `password: …`, `secret is …`. The value must mix letters and digits and be 12+ long, so
 * "token limit exceeded" or "key not found" survive.
 */
const namedSecret = /\b((?:api[_-]?)?key|token|secret|password|passwd|pwd|credentials?|auth)(s?["']?\s*(?:[:=]|\s(?:is|was|provided:?)?)\s*["']?)([A-Za-z0-9+/_.~-]{12,}={0,2})/gi;

/** URLs of any scheme: an upstream's URLs name internal hosts, paths and sometimes credentials. */
const urlPattern = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>`)\]}]+/gi;
/**
 * Runs of characters an address can hold. Each character belongs to one run, and each run is
 * tested with anchored patterns, so the cost stays linear (an unanchored host pattern
 * retried at every offset of "a.a.a.…" was quadratic: 97 ms for 4 KB).
 */
const addressRun = /[A-Za-z0-9.:%[\]-]+/g;
/** Searched anywhere (not only as a whole run): "…at 10.0.0.7.Retry" still names the address. */
const ipv4Pattern = /(?<!\d)(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?!\d)/g;
/** IPv6 with a `::` or all eight groups; times like 12:30:45 have neither. */
const ipv6 = /^\[?(?=[0-9a-f:]*::|(?:[0-9a-f]{1,4}:){7})[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[\w.-]+)?\]?(?::\d{1,5})?$/i;
/** host:port: a dotted name with a letter, or one label with a 4-5 digit port. */
const hostPort = /^(?:(?=[a-z0-9.-]*[a-z])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+:\d{1,5}|[a-z][a-z0-9-]{1,62}:\d{4,5})$/i;
/** Names only private networks use. */
const internalHost = /^(?:localhost|(?:[a-z0-9-]{1,63}\.)+(?:internal|local|localdomain|lan|corp|home|intranet|private|svc|consul))(?::\d{1,5})?$/i;

/**
 * Removes credentials and internal addresses from an upstream's error text before it goes
 * into a message returned to callers, keeping the rest ("model not found", "context length
 * exceeded"). Redacts the provider's own secrets and hosts exactly, then anything shaped like
 * a credential, any URL, IP address, host:port or private host name.
 *
 * @example
 * scrubUpstreamText('bad key sk-abc123def456 at http://10.0.0.7/v1', { secrets: [], hosts: [] })
 * // 'bad key [redacted] at [redacted]'
 */
export function scrubUpstreamText(text: string, known: UpstreamSecrets): string {
  let scrubbed = text;
  if (scrubbed.length > maxInput) {
    // The cut may split a secret; its tail would match no pattern, so the cut word goes too.
    scrubbed = scrubbed.slice(0, maxInput);
    let end = scrubbed.length;
    while (end > 0 && !/\s/.test(scrubbed[end - 1]!)) end--;
    scrubbed = `${scrubbed.slice(0, end)}…`;
  }
  for (const secret of known.secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) scrubbed = scrubbed.split(form).join(redacted);
  }
  scrubbed = scrubbed.replace(urlPattern, redacted);
  for (const pattern of credentialPatterns)
    scrubbed = scrubbed.replace(pattern, (_match, scheme: unknown) => (typeof scheme === 'string' && /^(bearer|basic|token)$/i.test(scheme) ? `${scheme} ${redacted}` : redacted));
  scrubbed = scrubbed.replace(namedSecret, (match, name: string, separator: string, value: string) =>
    /\d/.test(value) && /[a-z]/i.test(value) ? `${name}${separator}${redacted}` : match,
  );
  const hosts = new Set(known.hosts.map((host) => host.toLowerCase()));
  for (const host of hosts) {
    // Whole runs of any length are matched below; inside longer text only names long enough not to be a common word.
    if (host.length >= 4) scrubbed = scrubbed.replace(new RegExp(`${escapeRegExp(host)}(?::\\d{1,5})?`, 'gi'), redacted);
  }
  scrubbed = scrubbed.replace(ipv4Pattern, redacted);
  return scrubbed.replace(addressRun, (run) => {
    // A sentence may end right after an address: "refused by 10.0.0.7."
    let end = run.length;
    while (end > 0 && '.:-'.includes(run[end - 1]!)) end--;
    const address = run.slice(0, end);
    const tail = run.slice(end);
    const host = address
      .replace(/:\d{1,5}$/, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (hosts.has(host) || ipv6.test(address) || hostPort.test(address) || internalHost.test(address)) return `${redacted}${tail}`;
    return run;
  });
}

/** The secrets and hosts of an HTTP upstream: its key, its configured header values, its base URL's host. */
export function upstreamSecrets(baseUrl: string, apiKey: string | undefined, headers: Readonly<Record<string, string>>): UpstreamSecrets {
  const secrets = [apiKey, ...Object.values(headers)].filter((value): value is string => value !== undefined && value.length >= 8);
  // Longest first, so a secret that contains another is redacted whole.
  secrets.sort((a, b) => b.length - a.length);
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return { secrets, hosts: [host] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
