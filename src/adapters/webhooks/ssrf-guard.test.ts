import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { TargetPolicy, guardedDispatcher } from './ssrf-guard.js';

const isForbidden = (error: unknown) => BreakwaterError.isInstance(error) && error.code === 'WEBHOOK_TARGET_FORBIDDEN';

describe('TargetPolicy.checkAddress', () => {
  const policy = new TargetPolicy({ allow: [] });
  const forbidden = [
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '::',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    'fc00::1',
    'fd12:3456::1',
    '169.254.169.254',
    '169.254.0.1',
    'fe80::1',
    'febf::1',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    'ff02::1',
    '255.255.255.255',
    '240.0.0.1',
    '192.0.2.1',
    '198.18.0.1',
    '2001:db8::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '2001::1',
    '::7f00:1',
  ];
  const allowed = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];

  for (const ip of forbidden) it(`forbids ${ip}`, () => assert.equal(policy.checkAddress(ip, 'example.com'), false));
  for (const ip of allowed) it(`allows ${ip}`, () => assert.equal(policy.checkAddress(ip, 'example.com'), true));

  it('treats something that is not an IP as forbidden', () => {
    assert.equal(policy.checkAddress('example.com', 'example.com'), false);
  });
});

describe('TargetPolicy allow-list', () => {
  const policy = new TargetPolicy({ allow: ['10.0.0.0/8', 'hooks.internal.example', '*.corp.example', '127.0.0.1', 'fd00::/8'] });

  it('allows a listed CIDR and address, including their IPv4-mapped and NAT64 forms', () => {
    assert.equal(policy.checkAddress('10.1.2.3', 'anything.example'), true);
    assert.equal(policy.checkAddress('::ffff:10.1.2.3', 'anything.example'), true);
    assert.equal(policy.checkAddress('127.0.0.1', 'anything.example'), true);
    assert.equal(policy.checkAddress('fd00::5', 'anything.example'), true);
    assert.equal(policy.checkAddress('192.168.0.1', 'anything.example'), false);
    assert.equal(policy.checkAddress('127.0.0.2', 'anything.example'), false);
  });

  it('allows any address of a listed hostname or wildcard, case- and trailing-dot-insensitively', () => {
    assert.equal(policy.checkAddress('192.168.0.1', 'hooks.internal.example'), true);
    assert.equal(policy.checkAddress('192.168.0.1', 'HOOKS.internal.example.'), true);
    assert.equal(policy.checkAddress('192.168.0.1', 'a.b.corp.example'), true);
    assert.equal(policy.checkAddress('192.168.0.1', 'corp.example'), false);
    assert.equal(policy.checkAddress('192.168.0.1', 'evilcorp.example'), false);
    assert.equal(policy.checkAddress('192.168.0.1', 'other.internal.example'), false);
  });

  it('rejects entries that are not hostnames, wildcards, IPs or CIDRs, naming the config path', () => {
    for (const entry of ['10.0.0.0/33', 'http://x.example', '*.', '10.0.0.0/8/1', 'a b']) {
      assert.throws(
        () => new TargetPolicy({ allow: ['ok.example', entry] }),
        (error) => BreakwaterError.isInstance(error) && error.code === 'CONFIG_INVALID' && error.message.startsWith('webhooks.allow[1]:'),
        entry,
      );
    }
  });
});

describe('TargetPolicy.checkUrl', () => {
  const policy = new TargetPolicy({ allow: [] });

  it('returns the parsed URL of a public http(s) target', () => {
    assert.equal(policy.checkUrl('https://hooks.example.com/breakwater?x=1').hostname, 'hooks.example.com');
    assert.equal(policy.checkUrl('http://8.8.8.8:8080/').port, '8080');
  });

  it('forbids other schemes, credentials and forbidden literal IPs in any spelling', () => {
    for (const url of [
      'ftp://example.com/',
      'file:///etc/passwd',
      'not a url',
      'https://user:pass@example.com/',
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://0/',
    ]) {
      assert.throws(
        () => policy.checkUrl(url),
        (error) => isForbidden(error) && (error as BreakwaterError).param === 'webhook.url',
        url,
      );
    }
  });

  it('never echoes credentials in its message', () => {
    assert.throws(
      () => policy.checkUrl('https://user:s3cret@example.com/'),
      (error) => isForbidden(error) && !(error as Error).message.includes('s3cret'),
    );
  });

  it('uses the param it is given', () => {
    assert.throws(
      () => policy.checkUrl('http://10.0.0.1/', 'pipelines[0].webhook.url'),
      (error) => isForbidden(error) && (error as BreakwaterError).param === 'pipelines[0].webhook.url',
    );
  });
});

describe('guardedDispatcher', () => {
  let server: Server;
  let port: number;

  before(async () => {
    server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function post(policy: TargetPolicy, host: string): Promise<number> {
    const dispatcher = guardedDispatcher(policy);
    try {
      const response = await request(`http://${host}:${port}/hook`, { method: 'POST', body: '{}', dispatcher });
      await response.body.dump();
      return response.statusCode;
    } finally {
      await dispatcher.close();
    }
  }

  it('refuses a real delivery to 127.0.0.1 by default', async () => {
    await assert.rejects(post(new TargetPolicy({ allow: [] }), '127.0.0.1'), isForbidden);
  });

  it('delivers to 127.0.0.1 once it is allow-listed', async () => {
    assert.equal(await post(new TargetPolicy({ allow: ['127.0.0.1'] }), '127.0.0.1'), 200);
  });

  it('refuses the hostname localhost when DNS resolves it to loopback', async () => {
    await assert.rejects(post(new TargetPolicy({ allow: [] }), 'localhost'), isForbidden);
  });

  it('says what to fix without the address a refused host resolved to (it used to name the private IP to the tenant)', async () => {
    await assert.rejects(post(new TargetPolicy({ allow: [] }), 'localhost'), (error) => {
      assert.ok(isForbidden(error));
      const refusal = error as BreakwaterError;
      assert.match(refusal.message, /private or reserved address|loopback, private/);
      assert.match(refusal.message, /public https URL/);
      assert.match(refusal.message, /webhooks\.allow/);
      for (const address of ['127.0.0.1', '::1']) {
        assert.ok(!refusal.message.includes(address), refusal.message);
        assert.ok(!JSON.stringify(refusal.details).includes(address), JSON.stringify(refusal.details));
      }
      assert.match(String((refusal.cause as Error).message), /localhost resolved to (127\.0\.0\.1|::1)/, 'operators get the address from the cause');
      return true;
    });
  });

  it('delivers to localhost once the hostname is allow-listed', async () => {
    assert.equal(await post(new TargetPolicy({ allow: ['localhost'] }), 'localhost'), 200);
  });
});
