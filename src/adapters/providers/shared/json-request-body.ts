import { isLargeJson, jsonTextInTurns } from '../../../core/json-in-turns.js';

/** A request body sent a piece at a time: its exact length first, then its bytes. */
export interface PiecewiseBody {
  length: number;
  chunks: () => AsyncIterable<Uint8Array>;
}

/**
 * The JSON text of an upstream request: a string for an ordinary body, or, for one carrying
 * megabytes of text, its pieces, each escaped and encoded in a turn of its own while undici
 * writes the bytes before them (core/json-in-turns.ts). The length is counted the same way
 * first, so the upstream still gets a `content-length`.
 */
export async function jsonRequestBody(value: unknown): Promise<string | PiecewiseBody> {
  if (!isLargeJson(value)) return JSON.stringify(value);
  let length = 0;
  for await (const text of jsonTextInTurns(value)) length += Buffer.byteLength(text);
  return {
    length,
    chunks: async function* () {
      for await (const text of jsonTextInTurns(value)) yield Buffer.from(text);
    },
  };
}
