import { createHmac, timingSafeEqual } from 'node:crypto';
import { BreakwaterError } from '../errors/breakwater-error.js';

/** The headers Breakwater adds to every webhook request (a type, so it fits `Record<string, string>`). */
export type WebhookSignatureHeaders = {
  'breakwater-webhook-id': string;
  'breakwater-webhook-timestamp': string;
  'breakwater-signature': string;
};

export interface VerifySignatureOptions {
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Uint8Array;
  /** The `breakwater-signature` header; `null`/`undefined` when the request had none. */
  header: string | null | undefined;
  /** Every secret that may have signed the request (several while rotating). */
  secrets: string[];
  toleranceSeconds?: number;
  /** Milliseconds since the epoch, as `Date.now()` returns; defaults to the clock. */
  now?: number;
}

export type VerifySignatureResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

const signatureLength = 32;

/**
 * Signs a webhook body with every active secret (one `v1=` entry each, so receivers can
 * rotate secrets without dropping deliveries). `now` is milliseconds since the epoch.
 */
export function signPayload(body: string | Uint8Array, secrets: string[], now: number, deliveryId: string): WebhookSignatureHeaders {
  if (secrets.length === 0) {
    throw new BreakwaterError('CONFIG_INVALID', 'webhooks.secrets: at least one signing secret is needed to send webhooks; add { env: BREAKWATER_WEBHOOK_SECRET }.');
  }
  const timestamp = String(Math.floor(now / 1000));
  const entries = secrets.map((secret) => `v1=${sign(secret, timestamp, body).toString('hex')}`);
  return {
    'breakwater-webhook-id': deliveryId,
    'breakwater-webhook-timestamp': timestamp,
    'breakwater-signature': [`t=${timestamp}`, ...entries].join(','),
  };
}

/** Checks a `breakwater-signature` header against the raw body; never throws. */
export function verifySignature(options: VerifySignatureOptions): VerifySignatureResult {
  const { body, header, secrets, toleranceSeconds = 300, now = Date.now() } = options;
  if (header === null || header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const parsed = parseHeader(header);
  if (parsed === null) return { ok: false, reason: 'malformed' };

  const matches = secrets.some((secret) => {
    const expected = sign(secret, parsed.timestamp, body);
    // Every candidate is compared, so the time taken does not reveal which one matched.
    return parsed.signatures.reduce((found, candidate) => timingSafeEqual(candidate, expected) || found, false);
  });
  if (!matches) return { ok: false, reason: 'mismatch' };
  // Checked after the HMAC: `expired` then always means an authentic request that is stale
  // (a replay or clock skew), never a forgery.
  if (Math.abs(Math.floor(now / 1000) - Number(parsed.timestamp)) > toleranceSeconds) return { ok: false, reason: 'expired' };
  return { ok: true };
}

function sign(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`; unknown schemes are ignored for forward compatibility. */
function parseHeader(header: string): { timestamp: string; signatures: Buffer[] } | null {
  let timestamp: string | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return null;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = value;
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]+$/.test(value) || value.length !== signatureLength * 2) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}
