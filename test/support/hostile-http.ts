import fc from 'fast-check';
import type { HostileContext, HostileRequest } from './hostile-requests.js';
import { hostileNumber, hostileString } from './hostile-values.js';

/**
 * The HTTP side of the hostile requests (hostile-requests.ts): header values, authorization and
 * content types as careless or malicious clients send them, percent-escaped paths and escape
 * soups, query strings, and the request record that carries them.
 */

/** Header values a client can put on the wire: tab, visible ASCII and obs-text (latin1), sometimes huge. */
export const headerText = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.string({
      unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09), fc.integer({ min: 0x80, max: 0xff })).map((code) => String.fromCharCode(code)),
      maxLength: 80,
    }),
  },
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '-1',
      '0',
      '1e3',
      '1e400',
      'NaN',
      '0x10',
      '99999999999999999999999',
      '1.5',
      ' 3 ',
      'null',
      'no-store',
      'no-cache',
      'no-store, no-cache',
      'max-age=0',
      'small',
      'LARGE ',
      'frontier',
    ),
  },
  // Rare, or every other request would stop at the header limit (16 KiB) and test nothing else.
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((length) => 'h'.repeat(length)) },
);

export function authorization(context: HostileContext, preferred: 'key' | 'admin'): fc.Arbitrary<string | undefined> {
  const good = preferred === 'admin' ? context.adminToken : context.key;
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${good}`) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom(
          undefined,
          'Bearer',
          'Bearer ',
          'Bearer  ',
          `bearer ${good}`,
          `BEARER ${good}`,
          `Bearer  ${good}`,
          `Bearer ${good} extra`,
          `Basic ${Buffer.from(`x:${good}`).toString('base64')}`,
          good,
          `Bearer ${good}\t`,
          `Bearer ${good.slice(0, -1)}`,
        ),
        fc.constantFrom(`Bearer ${context.key}`, `Bearer ${context.adminToken}`),
        headerText.map((text) => `Bearer ${text}`),
        headerText,
      ),
    },
  );
}

export const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constantFrom(
        undefined,
        '',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'application/jsonp',
        'application/json, text/plain',
        'text/plain',
        'text/html',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'application/vnd.api+json',
        '*/*',
        ';',
        'application/json; charset="',
      ),
      headerText,
    ),
  },
);

export function headersFor(context: HostileContext, preferred: 'key' | 'admin', withBody: boolean): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        authorization: authorization(context, preferred),
        'content-type': withBody ? contentType : fc.constant(undefined),
        'x-request-id': headerText,
        'cache-control': headerText,
        'idempotency-key': headerText,
        'last-event-id': headerText,
        'x-breakwater-route-hint': headerText,
        'x-breakwater-latency-target-ms': headerText,
        'x-api-key': fc.constantFrom(context.key, 'bw_not_a_key', ''),
        accept: fc.constantFrom('text/event-stream', '*/*', 'application/json', ''),
      },
      { requiredKeys: ['authorization', 'content-type'] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string')));
}

/** Every byte of a UTF-8 string percent-escaped, lone surrogates as their raw (invalid) UTF-8 bytes. */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const bytes = code >= 0xd800 && code <= 0xdfff ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)] : [...Buffer.from(char, 'utf8')];
    encoded += /^[A-Za-z0-9_.~-]$/.test(char) ? char : bytes.map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
  return encoded;
}

export const escapeSoup = fc
  .array(
    fc.constantFrom(
      '%',
      '%2',
      '%zz',
      '%00',
      '%2F',
      '%2f',
      '%5C',
      '%2e%2e',
      '%2E',
      '%C0%AF',
      '%ff',
      '%E2%82',
      '%F0%9F%98',
      '%ED%A0%80',
      '%25',
      '%%',
      '..',
      '.',
      ';',
      'a',
      '%u0041',
      '+',
      '%20',
      '%0A',
      '%0D%0A',
      '~',
      '@',
      ':',
      '!',
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

/** One path segment: the real one, an escaped arbitrary string, an escape soup, or one longer than maxParamLength. */
export function segment(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(real) },
    fc.string({ unit: 'binary', maxLength: 40 }).map(percentEncode),
    escapeSoup,
    fc.integer({ min: 150, max: 3000 }).map((length) => 'j'.repeat(length)),
    fc.constantFrom(`${real}/`, `${real}%2F..`, encodeURIComponent(real).toUpperCase(), '', '.', '..', `${real};x=1`, `${real}?`, `${real}#frag`),
  );
}

export function query(names: string[], context: HostileContext): fc.Arbitrary<string> {
  const pair = fc.tuple(
    fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })),
    fc.oneof(hostileString({ maxRun: 256 }).map(percentEncode), escapeSoup, hostileNumber.map(String)),
  );
  return fc.oneof(
    fc.constant(''),
    fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.map(([name, value]) => `${percentEncode(name)}=${value}`).join('&')}`),
    escapeSoup.map((soup) => `?${soup}`),
    fc.constantFrom(
      `?limit=0`,
      '?limit=-1',
      '?limit=1e3',
      '?limit=abc',
      '?after=-1',
      '?after=1e400',
      `?tenant=${context.key}`,
      '?from=2026-13-45&to=0000-00-00',
      '?cursor=%00',
      '?limit=1&limit=2',
      '?__proto__[x]=1',
      '?a[b][c]=1',
    ),
  );
}

export function request(
  category: string,
  method: string,
  path: fc.Arbitrary<string>,
  headers: fc.Arbitrary<Record<string, string>>,
  body?: fc.Arbitrary<string | Buffer | undefined>,
): fc.Arbitrary<HostileRequest> {
  return fc.record({ path, headers, body: body ?? fc.constant(undefined) }).map(({ path: url, headers: chosen, body: payload }) => ({
    category,
    method,
    url,
    headers: chosen,
    ...(payload === undefined ? {} : { body: payload }),
  }));
}
