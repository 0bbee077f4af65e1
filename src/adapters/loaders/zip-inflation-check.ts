import { inflateRawSync } from 'node:zlib';

export type ZipInflationCheck =
  | { ok: true; value: { entries: number; inflatedBytes: number } }
  | { ok: false; error: { kind: 'corrupt' | 'too-large'; reason: string; entry?: string; declaredBytes?: number } };

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;
const zip64Marker = 0xffffffff;
const count = (value: number) => value.toLocaleString('en-US');

/**
 * Proves a zip archive unpacks to at most `limit` bytes before a library inflates it whole:
 * first every entry's declared size and their sum from the central directory (a zip bomb
 * declares gigabytes in a small file), then each entry inflated with its declared size as
 * a hard stop, because declared sizes can lie and jszip only notices once it has inflated
 * everything. Reads the same bytes jszip reads (the central directory's sizes, the data
 * after each local header), so what passes here is what mammoth will inflate.
 */
export function checkZipInflation(bytes: Uint8Array, limit: number): ZipInflationCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (reason: string): ZipInflationCheck => ({ ok: false, error: { kind: 'corrupt', reason } });
  const end = findEndOfDirectory(view);
  if (end < 0) return corrupt('no zip central directory was found');
  const entries = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  if (entries === 0xffff || directoryStart === zip64Marker || directorySize === zip64Marker) return corrupt('the archive uses ZIP64, which no Word document needs');
  if (directoryStart + directorySize > end) return corrupt('the central directory lies outside the file');

  const found: { name: string; method: number; data: number; compressed: number; declared: number }[] = [];
  let total = 0;
  let at = directoryStart;
  for (let index = 0; index < entries; index++) {
    if (at + 46 > directoryStart + directorySize || view.getUint32(at, true) !== directoryEntry) return corrupt('the central directory is damaged');
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const declared = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + 46, Math.min(nameLength, Math.max(0, bytes.length - at - 46))).toString('utf8');
    const offset = view.getUint32(at + 42, true);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    total += declared;
    if (declared === zip64Marker || compressed === zip64Marker || offset === zip64Marker) return corrupt(`${name} uses ZIP64 sizes, which no Word document needs`);
    if (declared > limit || total > limit) {
      return { ok: false, error: { kind: 'too-large', reason: `${name} alone declares ${count(declared)} bytes`, entry: name, declaredBytes: declared } };
    }
    if (offset + 30 > directoryStart || view.getUint32(offset, true) !== localHeader) return corrupt(`the local header of ${name} is missing`);
    const data = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    if (data + compressed > directoryStart) return corrupt(`the data of ${name} runs past the end of the entries`);
    if (method !== 0 && method !== 8) return corrupt(`${name} is compressed with method ${method}, which Word documents do not use`);
    if (method === 0 && compressed !== declared) return corrupt(`the stored entry ${name} declares a size different from its data`);
    found.push({ name, method, data, compressed, declared });
  }

  for (const entry of found) {
    if (entry.method === 0) continue;
    let inflated: Buffer;
    try {
      // maxOutputLength stops zlib as soon as the output passes it, so a lie costs at most `declared` bytes.
      inflated = inflateRawSync(bytes.subarray(entry.data, entry.data + entry.compressed), { maxOutputLength: Math.max(1, entry.declared) });
    } catch (error) {
      const tooLong = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
      return corrupt(tooLong ? `${entry.name} inflates to more than the ${count(entry.declared)} bytes it declares (a crafted archive)` : `${entry.name} does not inflate`);
    }
    if (inflated.length !== entry.declared) return corrupt(`${entry.name} inflates to ${count(inflated.length)} bytes, not the ${count(entry.declared)} it declares`);
  }
  return { ok: true, value: { entries, inflatedBytes: total } };
}

/** The last end-of-central-directory record, as jszip picks it; its comment may be up to 64 KiB. */
function findEndOfDirectory(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === endOfDirectory) return at;
  }
  return -1;
}
