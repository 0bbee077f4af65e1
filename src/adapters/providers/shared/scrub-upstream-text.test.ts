import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scrubUpstreamText, upstreamSecrets } from './scrub-upstream-text.js';

const none = { secrets: [], hosts: [] };

describe('scrubUpstreamText', () => {
  const leaks: Array<[string, string]> = [
    ['OpenAI key', 'Incorrect API key provided: sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z.'],
    ['OpenAI service-account key', 'key sk-svcacct-AAAABBBBCCCCDDDD1234 is disabled'],
    ['Anthropic key', 'invalid x-api-key sk-ant-api03-abcdefghijklmnop_QRSTUV-1234567890'],
    ['Bearer token', 'Authorization: Bearer ya29.a0AfH6SMBx3kq9Lz-_token.value'],
    ['Basic credentials', 'header was Basic dXNlcjpwYXNzd29yZDEyMw=='],
    ['AWS access key id', 'The security token AKIAIOSFODNN7EXAMPLE is invalid'],
    ['AWS session key id', 'ASIAY34FZKBOKMUTVV7A expired'],
    ['Google API key', 'API key not valid: AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'],
    ['GitHub classic token', 'token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB rejected'],
    ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['Slack token', 'slack said xoxb-123456789012-1234567890123-AbCdEfGhIjKl'],
    ['Hugging Face token', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz123456 has no access'],
    ['Groq key', 'gsk_0123456789abcdefABCDEF0123456789 invalid'],
    ['JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expired'],
    ['hex secret after "secret"', 'client secret=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 mismatch'],
    ['base64 secret after "token"', '{"token": "dGhpcyBpcyBhIHNlY3JldDEyMw=="}'],
    ['password', 'password: hunter2hunter2hunter2 rejected'],
    ['api_key query', 'api_key=abc123def456ghi789 is unknown'],
    ['URL with credentials', 'could not reach https://user:pa55word@10.1.2.3:8443/v1/chat'],
    ['private URL', 'upstream http://vllm-gpu-3.internal:8000/v1/completions timed out'],
    ['IPv4 address', 'connect ECONNREFUSED 192.168.14.22:11434'],
    ['IPv6 address', 'connect ECONNREFUSED [fd00::1a2b]:8080'],
    ['IPv6 loopback', 'listening on ::1 only'],
    ['private host name', 'resolved gpu-node-7.cluster.local'],
    ['host:port', 'proxy llm-backend.prod.acme.net:8443 refused'],
    ['PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'],
  ];
  for (const [shape, text] of leaks) {
    it(`redacts a ${shape}`, () => {
      const scrubbed = scrubUpstreamText(text, none);
      assert.match(scrubbed, /\[redacted\]/, scrubbed);
      const secret =
        /(sk-[\w-]+|ya29[\w.-]+|dXNlcj\S+|AKIA\w+|ASIA\w+|AIza[\w-]+|gh[ps]_\w+|github_pat_\w+|xoxb-[\w-]+|hf_\w+|gsk_\w+|eyJ[\w.-]+|9f86d0\w+|dGhpcy\S+|hunter2\w+|abc123\w+|pa55word|10\.1\.2\.3|vllm-gpu-3|192\.168\.14\.22|fd00::1a2b|::1|gpu-node-7|llm-backend|MIIEowIBAAKCAQEA)/.exec(
          text,
        )![0];
      assert.ok(!scrubbed.includes(secret), `${secret} survived: ${scrubbed}`);
    });
  }

  it('keeps the part of the message that helps the caller', () => {
    const keep = [
      'The model `gpt-5-turbo` does not exist or you do not have access to it.',
      "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens (8000 in the messages, 1000 in the completion).",
      'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
      'Invalid value for max_tokens: must be at most 4096.',
      'Token limit exceeded; reduce max_tokens.',
      'Basic authentication failed',
      'key not found',
      'Request timed out at 12:30:45',
      'model not found',
    ];
    for (const text of keep) assert.equal(scrubUpstreamText(text, none), text);
  });

  it('redacts the configured key exactly, whatever its shape, and its URL-encoded form', () => {
    const known = { secrets: ['plain-Looking_key/with+slash'], hosts: [] };
    const scrubbed = scrubUpstreamText('bad credentials plain-Looking_key/with+slash or plain-Looking_key%2Fwith%2Bslash', known);
    assert.equal(scrubbed, 'bad credentials [redacted] or [redacted]');
  });

  it("redacts the upstream's own host, bare or with a port", () => {
    const known = upstreamSecrets('https://models.example.com:9443/v1', undefined, {});
    assert.deepEqual(known.hosts, ['models.example.com']);
    assert.equal(scrubUpstreamText('models.example.com is overloaded (models.example.com:9443)', known), '[redacted] is overloaded ([redacted])');
  });

  it('takes the provider key and configured header values as secrets, ignoring short ones', () => {
    const known = upstreamSecrets('http://127.0.0.1:8000/v1', 'k-123456789', { 'api-key': 'azure-secret-value', 'x-short': 'abc' });
    assert.deepEqual(known.secrets, ['azure-secret-value', 'k-123456789']);
    assert.deepEqual(known.hosts, ['127.0.0.1']);
  });

  it('costs the same for a huge body as for a small one, and never shows a key cut in half', () => {
    const key = 'QWERTYUIOPasdfghjkl1234567890zxcv';
    const text = `${'x'.repeat(4090)} ${key} ${'y '.repeat(1_000_000)}`;
    const started = performance.now();
    const scrubbed = scrubUpstreamText(text, { secrets: [key], hosts: [] });
    assert.ok(performance.now() - started < 50, 'scrubbing a 2 MB body took more than 50 ms');
    assert.ok(scrubbed.length <= 4096);
    assert.ok(!scrubbed.includes('QWER'));
  });
});
