import type { DocumentInput } from '../../core/ports/document-loader.js';

const byExtension: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The extensions detection knows, for messages. */
export const knownExtensions: readonly string[] = Object.keys(byExtension);

/**
 * The media type to read a document as: the declared type (without parameters such as
 * `charset`) unless it is absent or the generic `application/octet-stream`, then the file
 * extension, then the first bytes. Undefined when none of them tells.
 */
export function detectMediaType(input: DocumentInput): string | undefined {
  const declared = input.mediaType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== 'application/octet-stream') return declared;
  const name = input.name?.toLowerCase() ?? '';
  const dot = name.lastIndexOf('.');
  const fromName = dot >= 0 ? byExtension[name.slice(dot)] : undefined;
  if (fromName) return fromName;
  return sniff(input.bytes);
}

const pdfMagic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const zipMagic = [0x50, 0x4b, 0x03, 0x04]; // PK\x03\x04

function sniff(bytes: Uint8Array): string | undefined {
  // The PDF spec lets the header sit anywhere in the first 1024 bytes, and pdfjs accepts that.
  if (indexOf(bytes.subarray(0, 1024), pdfMagic) >= 0) return 'application/pdf';
  // Any zip is taken for a Word document: it is the only zip-based format a loader reads,
  // and anything else fails in that loader with a message that says so.
  if (indexOf(bytes.subarray(0, zipMagic.length), zipMagic) === 0) return byExtension['.docx'];
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'text/plain';
  } catch {
    return undefined;
  }
}

function indexOf(haystack: Uint8Array, needle: readonly number[]): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) if (haystack[start + offset] !== needle[offset]) continue outer;
    return start;
  }
  return -1;
}
