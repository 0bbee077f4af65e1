import { constants, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  /** The entry's data as stored: raw deflate for method 8, the bytes themselves for method 0. */
  data: Uint8Array;
  method: 0 | 8;
  /** The uncompressed size the archive declares, true or not. */
  declaredSize: number;
}

/**
 * Writes a zip archive byte by byte (local headers, data, central directory, end record), so a
 * test can declare sizes a real zip tool would never write. CRCs are zero: jszip does not
 * check them unless asked.
 */
export function zipArchive(entries: readonly ZipEntrySpec[]): Buffer {
  const locals: Uint8Array[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    directory.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}

/**
 * A raw deflate stream that inflates to `mebibytes` MiB of zeros, about 1 KB per MiB: one
 * sync-flushed (non-final) block of a MiB repeated, then an empty final block. Built in
 * milliseconds, where deflating a gigabyte would take seconds.
 */
export function deflatedZeros(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array.from({ length: mebibytes }, () => block), Buffer.from([0x03, 0x00])]);
}

const stored = (name: string, text: string): ZipEntrySpec => ({ name, data: Buffer.from(text), method: 0, declaredSize: Buffer.byteLength(text) });

/**
 * A .docx-shaped zip bomb: the usual small parts, and a word/document.xml that inflates to
 * `inflatedMiB` MiB while declaring `declaredSize` bytes (the truth by default).
 */
export function docxBomb(options: { inflatedMiB: number; declaredSize?: number }): Buffer {
  return zipArchive([
    stored('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    stored('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
    { name: 'word/document.xml', data: deflatedZeros(options.inflatedMiB), method: 8, declaredSize: options.declaredSize ?? options.inflatedMiB * 1024 * 1024 },
  ]);
}
