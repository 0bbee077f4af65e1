import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectPii } from '../detect.js';

const secrets = (text: string) => detectPii(text, { nlp: false, types: ['SECRET', 'EMAIL'] }).map((detection) => `${detection.type}:${text.slice(detection.start, detection.end)}`);

describe('secrets: vendor formats, URL passwords and high-entropy values next to a credential word', () => {
  it('finds GitLab, npm, Hugging Face, SendGrid and Twilio keys', () => {
    assert.deepEqual(secrets('GITLAB=glpat-x8Jq2vLr9TkPzW4mYc7N'), ['SECRET:glpat-x8Jq2vLr9TkPzW4mYc7N']);
    assert.deepEqual(secrets('use npm_k3Lm9QwErTy7UiOp2AsDfGhJkLzXcVbN4m5q now'), ['SECRET:npm_k3Lm9QwErTy7UiOp2AsDfGhJkLzXcVbN4m5q']);
    assert.deepEqual(secrets('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'), ['SECRET: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']);
    assert.deepEqual(secrets('SG.aB3dE5fG7hI9jK1lM3nO5p.qR7sT9uV1wX3yZ5aB7cD9eF1gH3iJ5kL7mN9oP1'), ['SECRET:SG.aB3dE5fG7hI9jK1lM3nO5p.qR7sT9uV1wX3yZ5aB7cD9eF1gH3iJ5kL7mN9oP1']);
    assert.deepEqual(secrets('key SK2b9f4e7a1c3d5e6f8a0b2c4d6e8f1a3b'), ['SECRET:SK2b9f4e7a1c3d5e6f8a0b2c4d6e8f1a3b']);
  });

  it("takes a connection URL's password, not the user, host or an e-mail", () => {
    assert.deepEqual(secrets('DATABASE_URL=postgres://app:s3cr3tPa55w0rd@db.internal:5432/app'), ['SECRET:s3cr3tPa55w0rd']);
    assert.deepEqual(secrets('redis://:9fG2kLq8ZpW3@cache:6379/0'), ['SECRET:9fG2kLq8ZpW3']);
    assert.deepEqual(secrets('postgres://localhost:5432/app'), []);
  });

  it('finds a random value after token, secret or Bearer, and leaves words, hashes without a label and dates alone', () => {
    assert.deepEqual(secrets('export SERVICE_TOKEN=7f3a9c2e8b1d4f6a0c5e9b2d7a4f1c8e'), ['SECRET:7f3a9c2e8b1d4f6a0c5e9b2d7a4f1c8e']);
    assert.deepEqual(secrets('Authorization: Bearer a9F3kL2mQ8xZ7pW4rT6yU1vB5nC0dE3g'), ['SECRET:a9F3kL2mQ8xZ7pW4rT6yU1vB5nC0dE3g']);
    assert.deepEqual(secrets('{ "client_secret": "q8Zr3LmX9vT2kP7wN4bY6cJ1" }'), ['SECRET:q8Zr3LmX9vT2kP7wN4bY6cJ1']);
    assert.deepEqual(secrets('commit 3f9a2c7e8b1d4f6a0c5e9b2d7a4f1c8e9b2d7a4f merged'), []);
    assert.deepEqual(secrets('The token expired at 2025-03-04T10:22:11Z'), []);
    assert.deepEqual(secrets('the token refresh_interval_seconds is 3600'), []);
  });

  it('stays linear on a long run of credential words', () => {
    const hostile = 'token=token=token='.repeat(30_000);
    const started = performance.now();
    secrets(hostile);
    assert.ok(performance.now() - started < 1_000);
  });
});
