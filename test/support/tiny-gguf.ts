import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a small GGUF v3 model (llama architecture, F32 tensors, random weights from a seeded
 * PRNG) that node-llama-cpp loads, so tests and benchmarks never download a model.
 *
 * The vocabulary is SentencePiece-style ("llama" tokenizer model) with byte fallback:
 * `byte-level` has only the 256 byte tokens plus `<unk>`, `<s>`, `</s>` and the ChatML
 * markers; `sentencepiece` adds printable ASCII characters and a few common words as pieces.
 * `tokenizer.chat_template` is ChatML, which node-llama-cpp recognises.
 *
 * Random weights would emit any byte, and bytes >= 0x80 make invalid UTF-8 in strings, so the
 * weights carry one steering channel: embedding dimension 0 is a constant that survives the
 * RMS norm, and the output row of each byte >= 0x80 and of each control token reads it with a
 * large negative weight — those tokens are never sampled (a grammar that allows only the end
 * of sequence still gets it, since nothing else remains). Closing quotes and brackets are
 * nudged up and whitespace down, so that random JSON stays short.
 *
 * @example
 * writeTinyGguf(join(dir, 'tiny.gguf'), { layers: 2, embeddingLength: 64 });
 * // bench: ~25M parameters
 * writeTinyGguf(path, { layers: 8, embeddingLength: 512, feedForwardLength: 1376 });
 */
export interface TinyGgufOptions {
  vocab?: 'byte-level' | 'sentencepiece';
  /** Transformer blocks (default 2). */
  layers?: number;
  /** Hidden size, a multiple of `heads` (default 64). */
  embeddingLength?: number;
  /** SwiGLU width (default 2 × embeddingLength). */
  feedForwardLength?: number;
  heads?: number;
  contextLength?: number;
  seed?: number;
}

export interface TinyGgufInfo {
  path: string;
  vocabularySize: number;
  embeddingLength: number;
  parameters: number;
  bytes: number;
}

export const chatMlTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

enum ValueType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}

enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  Byte = 6,
}

const alignment = 32;
/**
 * Output weights on the steering channel, as multiples of ~6 logits. Closers (`"`, `]`, `}`)
 * are favoured and optional whitespace disfavoured, so that random JSON stays short (strings
 * of a few bytes, one-item arrays): an invoice under its grammar then costs ~270 tokens,
 * most of them the key names the grammar forces byte by byte.
 */
const closerSteer = 1;
/** `"` a step above the other closers: a string ends before a bracket run starts inside it, even greedily. */
const quoteSteer = 2;
const whitespaceSteer = -0.5;
const closers = [0x22, 0x5d, 0x7d];
const steerOf = (code: number) => (code === 0x22 ? quoteSteer : closerSteer);
const commonWords = ['the', 'and', 'of', 'to', 'in', 'is', 'invoice', 'total', 'name', 'date', 'amount', 'item', 'hello', 'world'];

export function writeTinyGguf(path: string, options: TinyGgufOptions = {}): TinyGgufInfo {
  const layers = options.layers ?? 2;
  const embeddingLength = options.embeddingLength ?? 64;
  const heads = options.heads ?? 4;
  const feedForwardLength = options.feedForwardLength ?? embeddingLength * 2;
  const contextLength = options.contextLength ?? 4096;
  if (embeddingLength % heads !== 0) throw new Error(`embeddingLength ${embeddingLength} must be a multiple of heads ${heads}`);
  const vocab = buildVocabulary(options.vocab ?? 'byte-level');
  const random = mulberry32(options.seed ?? 42);

  const metadata: Array<[string, ValueType, unknown]> = [
    ['general.architecture', ValueType.String, 'llama'],
    ['general.name', ValueType.String, 'breakwater-tiny'],
    ['general.alignment', ValueType.Uint32, alignment],
    ['llama.context_length', ValueType.Uint32, contextLength],
    ['llama.embedding_length', ValueType.Uint32, embeddingLength],
    ['llama.block_count', ValueType.Uint32, layers],
    ['llama.feed_forward_length', ValueType.Uint32, feedForwardLength],
    ['llama.attention.head_count', ValueType.Uint32, heads],
    ['llama.attention.head_count_kv', ValueType.Uint32, heads],
    ['llama.attention.layer_norm_rms_epsilon', ValueType.Float32, 1e-5],
    ['llama.rope.dimension_count', ValueType.Uint32, embeddingLength / heads],
    ['llama.vocab_size', ValueType.Uint32, vocab.tokens.length],
    ['tokenizer.ggml.model', ValueType.String, 'llama'],
    ['tokenizer.ggml.tokens', ValueType.Array, { type: ValueType.String, values: vocab.tokens }],
    ['tokenizer.ggml.scores', ValueType.Array, { type: ValueType.Float32, values: vocab.scores }],
    ['tokenizer.ggml.token_type', ValueType.Array, { type: ValueType.Int32, values: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', ValueType.Uint32, 0],
    ['tokenizer.ggml.bos_token_id', ValueType.Uint32, 1],
    ['tokenizer.ggml.eos_token_id', ValueType.Uint32, 2],
    ['tokenizer.ggml.add_bos_token', ValueType.Bool, true],
    ['tokenizer.ggml.add_eos_token', ValueType.Bool, false],
    ['tokenizer.ggml.add_space_prefix', ValueType.Bool, false],
    ['tokenizer.chat_template', ValueType.String, chatMlTemplate],
  ];

  const vocabularySize = vocab.tokens.length;
  const tensors: Array<{ name: string; dims: number[]; fill: () => Float32Array }> = [];
  const randomMatrix = (count: number, scale: number) => () => {
    const values = new Float32Array(count);
    for (let index = 0; index < count; index++) values[index] = (random() * 2 - 1) * scale;
    return values;
  };
  const ones = (count: number) => () => new Float32Array(count).fill(1);
  tensors.push({
    name: 'token_embd.weight',
    dims: [embeddingLength, vocabularySize],
    fill: () => {
      const values = randomMatrix(embeddingLength * vocabularySize, 0.17)();
      for (let token = 0; token < vocabularySize; token++) values[token * embeddingLength] = 1; // the steering channel
      return values;
    },
  });
  const projection = 1 / Math.sqrt(embeddingLength);
  for (let layer = 0; layer < layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [embeddingLength], fill: ones(embeddingLength) },
      { name: `${block}.attn_q.weight`, dims: [embeddingLength, embeddingLength], fill: randomMatrix(embeddingLength ** 2, projection) },
      { name: `${block}.attn_k.weight`, dims: [embeddingLength, embeddingLength], fill: randomMatrix(embeddingLength ** 2, projection) },
      { name: `${block}.attn_v.weight`, dims: [embeddingLength, embeddingLength], fill: randomMatrix(embeddingLength ** 2, 0.02) },
      { name: `${block}.attn_output.weight`, dims: [embeddingLength, embeddingLength], fill: randomMatrix(embeddingLength ** 2, 0.02) },
      { name: `${block}.ffn_norm.weight`, dims: [embeddingLength], fill: ones(embeddingLength) },
      { name: `${block}.ffn_gate.weight`, dims: [embeddingLength, feedForwardLength], fill: randomMatrix(embeddingLength * feedForwardLength, 0.02) },
      { name: `${block}.ffn_up.weight`, dims: [embeddingLength, feedForwardLength], fill: randomMatrix(embeddingLength * feedForwardLength, 0.02) },
      { name: `${block}.ffn_down.weight`, dims: [feedForwardLength, embeddingLength], fill: randomMatrix(embeddingLength * feedForwardLength, 0.02) },
    );
  }
  tensors.push({ name: 'output_norm.weight', dims: [embeddingLength], fill: ones(embeddingLength) });
  tensors.push({
    name: 'output.weight',
    dims: [embeddingLength, vocabularySize],
    fill: () => {
      const values = randomMatrix(embeddingLength * vocabularySize, 0.9)();
      for (let token = 0; token < vocabularySize; token++) values[token * embeddingLength] = vocab.steering[token]!;
      return values;
    },
  });

  const header = new ByteWriter();
  header.u32(0x46554747); // "GGUF"
  header.u32(3);
  header.u64(tensors.length);
  header.u64(metadata.length);
  for (const [key, type, value] of metadata) {
    header.string(key);
    header.u32(type);
    header.value(type, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    header.string(tensor.name);
    header.u32(tensor.dims.length);
    for (const dim of tensor.dims) header.u64(dim);
    header.u32(0); // GGML_TYPE_F32
    header.u64(offset);
    offsets.push(offset);
    offset = align(offset + tensor.dims.reduce((product, dim) => product * dim, 1) * 4);
  }
  const headerBytes = header.toBuffer();
  const file = openSync(path, 'w');
  let parameters = 0;
  try {
    writeSync(file, headerBytes);
    writeSync(file, Buffer.alloc(align(headerBytes.length) - headerBytes.length));
    let written = 0;
    tensors.forEach((tensor, index) => {
      writeSync(file, Buffer.alloc(offsets[index]! - written));
      const values = tensor.fill();
      parameters += values.length;
      writeSync(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      written = offsets[index]! + values.byteLength;
    });
    return { path, vocabularySize, embeddingLength, parameters, bytes: align(headerBytes.length) + written };
  } finally {
    closeSync(file);
  }
}

function buildVocabulary(kind: 'byte-level' | 'sentencepiece') {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const steering: number[] = [];
  const add = (token: string, type: TokenType, score: number, steer: number) => {
    tokens.push(token);
    types.push(type);
    scores.push(score);
    steering.push(steer);
  };
  const banned = -6;
  add('<unk>', TokenType.Unknown, 0, banned);
  add('<s>', TokenType.Control, 0, banned);
  add('</s>', TokenType.Control, 0, banned);
  add('<|im_start|>', TokenType.Control, 0, banned);
  add('<|im_end|>', TokenType.Control, 0, banned);
  for (let byte = 0; byte < 256; byte++) {
    const printable = byte >= 0x20 && byte < 0x7f;
    const steer = closers.includes(byte) ? steerOf(byte) : byte === 0x20 || byte === 0x0a ? whitespaceSteer : printable ? 0 : banned;
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TokenType.Byte, 0, steer);
  }
  if (kind === 'sentencepiece') {
    const seen = new Set<string>();
    const piece = (text: string, score: number) => {
      if (seen.has(text)) return;
      seen.add(text);
      add(text, TokenType.Normal, score, closers.includes(text.charCodeAt(0)) ? steerOf(text.charCodeAt(0)) : 0);
    };
    piece('\u2581', -1);
    for (let code = 0x21; code < 0x7f; code++) piece(String.fromCharCode(code), -2);
    commonWords.forEach((word, index) => {
      piece(`\u2581${word}`, -3 - index * 0.01);
      piece(word, -4 - index * 0.01);
    });
  }
  return { tokens, scores, types, steering };
}

function align(offset: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

class ByteWriter {
  private readonly parts: Buffer[] = [];

  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.parts.push(buffer);
  }

  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.parts.push(buffer);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.parts.push(bytes);
  }

  value(type: ValueType, value: unknown): void {
    const buffer = Buffer.alloc(4);
    switch (type) {
      case ValueType.Uint32:
        return this.u32(value as number);
      case ValueType.Int32:
        buffer.writeInt32LE(value as number);
        return void this.parts.push(buffer);
      case ValueType.Float32:
        buffer.writeFloatLE(value as number);
        return void this.parts.push(buffer);
      case ValueType.Bool:
        return void this.parts.push(Buffer.from([value ? 1 : 0]));
      case ValueType.String:
        return this.string(value as string);
      case ValueType.Array: {
        const array = value as { type: ValueType; values: unknown[] };
        this.u32(array.type);
        this.u64(array.values.length);
        for (const item of array.values) this.value(array.type, item);
      }
    }
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
