import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';
import { docxBomb, zipArchive } from '../../../test/support/zip-archive.js';
import { checkZipInflation } from './zip-inflation-check.js';

const mib = 1024 * 1024;

test('a real .docx passes, with every entry counted', async () => {
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Rechnung 8841')] }] }));
  const check = checkZipInflation(docx, 10 * mib);
  assert.ok(check.ok, JSON.stringify(check));
  assert.ok(check.value.entries >= 5);
  assert.ok(check.value.inflatedBytes > docx.length, 'XML parts inflate to more than the archive');
});

test('a zip bomb declaring 1 GiB is refused from its central directory, before anything is inflated', () => {
  const bomb = docxBomb({ inflatedMiB: 1024 });
  const started = performance.now();
  const check = checkZipInflation(bomb, 50 * mib);
  assert.ok(performance.now() - started < 100, 'no inflation: a gigabyte takes seconds');
  assert.deepEqual(check, {
    ok: false,
    error: { kind: 'too-large', reason: 'word/document.xml alone declares 1,073,741,824 bytes', entry: 'word/document.xml', declaredBytes: 1024 * mib },
  });
});

test('a zip bomb that declares 1 KiB and inflates to 1 GiB is stopped at its declared size', () => {
  const arrayBuffers = process.memoryUsage().arrayBuffers;
  const check = checkZipInflation(docxBomb({ inflatedMiB: 1024, declaredSize: 1024 }), 50 * mib);
  assert.equal(check.ok, false);
  assert.ok(!check.ok && check.error.kind === 'corrupt');
  assert.match(check.error.reason, /^word\/document\.xml inflates to more than the 1,024 bytes it declares/);
  assert.ok(process.memoryUsage().arrayBuffers - arrayBuffers < 16 * mib);
});

test('entries each under the limit are refused when their sum passes it', () => {
  const part = (name: string) => ({ name, data: deflateRawSync(Buffer.alloc(4 * mib)), method: 8 as const, declaredSize: 4 * mib });
  const check = checkZipInflation(zipArchive([part('a.xml'), part('b.xml'), part('c.xml')]), 10 * mib);
  assert.ok(!check.ok && check.error.kind === 'too-large' && check.error.entry === 'c.xml');
  assert.ok(checkZipInflation(zipArchive([part('a.xml'), part('b.xml')]), 10 * mib).ok);
});

test('an entry that inflates to less than it declares is corrupt too (jszip would fail on it after inflating)', () => {
  const check = checkZipInflation(zipArchive([{ name: 'word/document.xml', data: deflateRawSync(Buffer.alloc(100)), method: 8, declaredSize: 1000 }]), mib);
  assert.ok(!check.ok && check.error.kind === 'corrupt');
  assert.match(check.error.reason, /inflates to 100 bytes, not the 1,000 it declares/);
});

test('ZIP64 sizes, a cut-off archive and random bytes are corrupt, not read', () => {
  const zip64 = checkZipInflation(zipArchive([{ name: 'word/document.xml', data: Buffer.alloc(10), method: 8, declaredSize: 0xffffffff }]), mib);
  assert.ok(!zip64.ok && zip64.error.kind === 'corrupt' && /ZIP64/.test(zip64.error.reason));
  const whole = docxBomb({ inflatedMiB: 1 });
  const cut = checkZipInflation(whole.subarray(0, whole.length - 30), mib);
  assert.ok(!cut.ok && cut.error.kind === 'corrupt');
  const random = checkZipInflation(Buffer.from('PK\u0003\u0004 this is not a zip archive at all'), mib);
  assert.ok(!random.ok && random.error.kind === 'corrupt' && /no zip central directory/.test(random.error.reason));
});
