import { createHash } from 'node:crypto';

/** How a collection cuts documents: by headings and paragraphs, each chunk under a token budget. */
export interface ChunkingPolicy {
  /** Largest chunk, in tokens (estimated: see `estimateTokens`). A code block or table larger than this stays whole. */
  maxTokens: number;
  /** Tokens of the previous chunk's tail repeated at the start of the next one within a section. */
  overlapTokens: number;
}

export const defaultChunking: ChunkingPolicy = { maxTokens: 256, overlapTokens: 32 };

/** One piece of a document. `id` is the SHA-256 of what is embedded (heading and text), so an unchanged chunk keeps its id. */
export interface Chunk {
  id: string;
  /** Position in the document, from 0. */
  ordinal: number;
  /** The nearest heading above the chunk (`#` lines), when there is one. */
  heading: string | null;
  text: string;
  /** Character offsets of `text` in the document: document.slice(start, end) === text. */
  start: number;
  end: number;
}

/**
 * Tokens of a text, estimated as one per 4 characters (the usual English average for BPE
 * tokenizers; non-Latin scripts run higher). Linear and allocation-free, so chunking a large
 * corpus costs no tokenizer pass; budgets are approximate by design.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A run of the document that is never split (a code block, a table) or a paragraph that may be. */
interface Block {
  start: number;
  end: number;
  whole: boolean;
  heading?: string;
}

/**
 * Cuts a document into chunks: a new chunk at every heading, paragraphs packed together up
 * to `maxTokens`, a paragraph longer than that split at sentence (then word) boundaries with
 * `overlapTokens` of overlap, fenced code blocks and tables kept whole. Linear in the text.
 */
export function chunkText(text: string, policy: ChunkingPolicy = defaultChunking): Chunk[] {
  const chunks: Chunk[] = [];
  const seen = new Set<string>();
  let heading: string | null = null;
  let open: { start: number; end: number } | undefined;
  const maxChars = policy.maxTokens * 4;
  const overlapChars = Math.min(policy.overlapTokens * 4, Math.floor(maxChars / 2));

  const emit = (start: number, end: number) => {
    const body = text.slice(start, end);
    if (body.trim() === '') return;
    const id = createHash('sha256')
      .update(heading ?? '')
      .update('\0')
      .update(body)
      .digest('hex');
    // The same passage twice in one document is indexed once (its first place).
    if (seen.has(id)) return;
    seen.add(id);
    chunks.push({ id, ordinal: chunks.length, heading, text: body, start, end });
  };
  const flush = () => {
    if (open) emit(open.start, open.end);
    open = undefined;
  };

  for (const block of blocks(text)) {
    if (block.heading !== undefined) {
      flush();
      heading = block.heading;
      continue;
    }
    const size = block.end - block.start;
    if (open && open.end - open.start + size + 2 <= maxChars) {
      open.end = block.end;
      continue;
    }
    flush();
    if (size <= maxChars || block.whole) {
      open = { start: block.start, end: block.end };
      continue;
    }
    for (const piece of splitLong(text, block.start, block.end, maxChars, overlapChars)) emit(piece.start, piece.end);
  }
  flush();
  return chunks;
}

/** Paragraphs (blank-line separated), headings, fenced code blocks and tables, with their offsets. */
function* blocks(text: string): Generator<Block> {
  let position = 0;
  let paragraph: { start: number; end: number } | undefined;
  let fence: { start: number; marker: string } | undefined;
  let table: { start: number; end: number } | undefined;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(position, lineEnd);
    const next = newline === -1 ? text.length : newline + 1;
    const trimmed = line.trimStart();
    if (fence) {
      if (trimmed.startsWith(fence.marker)) {
        yield { start: fence.start, end: lineEnd, whole: true };
        fence = undefined;
      }
      position = next;
      continue;
    }
    const isTable = trimmed.startsWith('|');
    if (table && !isTable) {
      yield { start: table.start, end: table.end, whole: true };
      table = undefined;
    }
    if (trimmed.startsWith('```') || trimmed.startsWith('~~~')) {
      if (paragraph) yield { ...paragraph, whole: false };
      paragraph = undefined;
      fence = { start: position, marker: trimmed.slice(0, 3) };
    } else if (isTable) {
      if (paragraph) yield { ...paragraph, whole: false };
      paragraph = undefined;
      table = table ? { start: table.start, end: lineEnd } : { start: position, end: lineEnd };
    } else if (/^#{1,6}\s/.test(trimmed)) {
      if (paragraph) yield { ...paragraph, whole: false };
      paragraph = undefined;
      yield { start: position, end: lineEnd, whole: true, heading: trimmed.replace(/^#+\s*/, '').trim() };
    } else if (trimmed === '') {
      if (paragraph) yield { ...paragraph, whole: false };
      paragraph = undefined;
    } else {
      paragraph = paragraph ? { start: paragraph.start, end: lineEnd } : { start: position, end: lineEnd };
    }
    position = next;
  }
  if (fence) yield { start: fence.start, end: text.length, whole: true };
  if (table) yield { start: table.start, end: table.end, whole: true };
  if (paragraph) yield { ...paragraph, whole: false };
}

/** Windows of at most `maxChars` over [start, end), cut after a sentence end or else a space, each overlapping the last by about `overlapChars`. */
function* splitLong(text: string, start: number, end: number, maxChars: number, overlapChars: number): Generator<{ start: number; end: number }> {
  let from = start;
  while (from < end) {
    let to = Math.min(end, from + maxChars);
    if (to < end) {
      const window = text.slice(from, to);
      const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '), window.lastIndexOf('。'));
      const space = window.lastIndexOf(' ');
      const cut = sentence > maxChars / 2 ? sentence + 1 : space > maxChars / 2 ? space : window.length;
      to = from + cut;
    }
    yield { start: from, end: to };
    if (to >= end) return;
    let nextFrom = Math.max(from + 1, to - overlapChars);
    // Start the overlap at a word boundary.
    const space = text.indexOf(' ', nextFrom);
    if (space !== -1 && space < to) nextFrom = space + 1;
    while (nextFrom < end && /\s/.test(text[nextFrom]!)) nextFrom++;
    from = nextFrom;
  }
}
