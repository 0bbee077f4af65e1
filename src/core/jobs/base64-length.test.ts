import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { base64Length } from './base64-length.js';

describe('base64Length', () => {
  it('gives the decoded size of base64 with padding, MIME line breaks and a trailing newline, as decoding would', () => {
    for (let size = 0; size < 400; size += 7) {
      const bytes = randomBytes(size);
      for (const text of [bytes.toString('base64'), bytes.toString('base64').replace(/(.{76})/g, '$1\r\n'), `${bytes.toString('base64').replace(/(.{64})/g, '$1\n')}\n`]) {
        assert.equal(base64Length(text), Buffer.from(text, 'base64').length, `${size} bytes as ${JSON.stringify(text.slice(0, 20))}…`);
      }
    }
  });
});
