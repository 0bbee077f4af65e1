/**
 * bench:local-model — tokens/s of the in-process GGUF model with and without a JSON-Schema
 * grammar, and time to first token, on a generated model of a few tens of millions of
 * parameters (no download: test/support/tiny-gguf.ts writes it).
 *
 *   npm run bench:local-model [-- --threads=1 --tokens=3000]
 *
 * Constrained: the invoice pipeline's schema compiled to GBNF by schemaToGbnf, one JSON
 * record per call, until `--tokens` tokens in all. Free: after each constrained call, a plain
 * completion from the same prompt capped at the tokens that call produced, so both cover the
 * same sequence positions. Same context, alternating, so drift in the machine's load hits
 * both. Prints a table and, as its last line, one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, LlamaCompletion, LlamaGrammar, LlamaLogLevel } from 'node-llama-cpp';
import { writeTinyGguf } from '../../test/support/tiny-gguf.js';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { SchemaValidator } from '../../src/core/extraction/schema-validator.js';
import { schemaToGbnf } from '../../src/adapters/providers/local/schema-to-gbnf.js';

const argument = (name: string, fallback: string) => process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const threads = Number(argument('threads', '1'));
const targetTokens = Number(argument('tokens', '3000'));
const log = (line: string) => process.stderr.write(`${line}\n`);

const folder = mkdtempSync(join(tmpdir(), 'breakwater-local-bench-'));
try {
  const modelPath = join(folder, 'bench.gguf');
  const info = writeTinyGguf(modelPath, { layers: 8, embeddingLength: 512, feedForwardLength: 1376, heads: 8, contextLength: 2048, seed: 11 });
  log(`model: ${(info.parameters / 1e6).toFixed(1)}M parameters, ${(info.bytes / 1e6).toFixed(0)} MB; threads ${threads}`);
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 2048, threads });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const schema = examplePipelines('local').invoice!.schema!;
  const grammar = new LlamaGrammar(llama, { grammar: schemaToGbnf(schema) });
  const validator = SchemaValidator.compile(schema);

  const totals = { free: { tokens: 0, ms: 0, calls: 0 }, constrained: { tokens: 0, ms: 0, calls: 0, valid: 0 } };
  const ttfts: number[] = [];
  let seed = 0;
  // Warm-up: one call of each, not counted.
  await completion.generateCompletion('Warm up:', { maxTokens: 16, seed: 999 });
  await completion.generateCompletion('JSON:', { grammar, maxTokens: 400, seed: 999 });

  // Paired calls: a constrained one, then a free one from the same prompt capped at the same
  // number of tokens. Decoding slows as the sequence grows (attention covers every earlier
  // position), so both sides must cover the same positions for the ratio to be the grammar's
  // cost alone. A free call may stop early at end-of-text, covering only earlier, cheaper
  // positions: that errs against the constrained side, never for it.
  while (totals.constrained.tokens < targetTokens) {
    seed++;
    let constrainedTokens = 0;
    const started = performance.now();
    const response = await completion.generateCompletion('JSON:', {
      grammar,
      maxTokens: 1_800,
      temperature: 1,
      seed,
      onToken: (chunk) => void (constrainedTokens += chunk.length),
    });
    totals.constrained.ms += performance.now() - started;
    totals.constrained.tokens += constrainedTokens;
    totals.constrained.calls++;
    try {
      if (validator.validate(JSON.parse(response)).ok) totals.constrained.valid++;
    } catch {
      // Counted as not valid.
    }

    let tokens = 0;
    let first: number | undefined;
    const freeStarted = performance.now();
    await completion.generateCompletion('JSON:', {
      maxTokens: Math.max(1, constrainedTokens),
      temperature: 1,
      seed,
      onToken: (chunk) => {
        first ??= performance.now();
        tokens += chunk.length;
      },
    });
    totals.free.ms += performance.now() - freeStarted;
    totals.free.tokens += tokens;
    totals.free.calls++;
    if (first !== undefined) ttfts.push(first - freeStarted);
  }
  await context.dispose();
  await model.dispose();
  await llama.dispose();

  const free = (totals.free.tokens / totals.free.ms) * 1000;
  const constrained = (totals.constrained.tokens / totals.constrained.ms) * 1000;
  ttfts.sort((a, b) => a - b);
  const ttft = ttfts[Math.floor(ttfts.length / 2)] ?? 0;
  const cost = 1 - constrained / free;
  const row = (name: string, rate: number, calls: number, tokens: number, note: string) =>
    `| ${name.padEnd(34)} | ${rate.toFixed(0).padStart(10)} | ${String(calls).padStart(5)} | ${String(tokens).padStart(7)} | ${note}`;
  console.log(
    `bench:local-model — generated GGUF, ${(info.parameters / 1e6).toFixed(1)}M parameters, ${threads} thread(s), ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log('');
  console.log(`| ${'decoding'.padEnd(34)} | ${'tokens/s'.padStart(10)} | calls | ${'tokens'.padStart(7)} | note`);
  console.log(`|${'-'.repeat(36)}|${'-'.repeat(12)}|-------|---------|------`);
  console.log(row('free (no grammar)', free, totals.free.calls, totals.free.tokens, `median time to first token ${ttft.toFixed(1)} ms`));
  console.log(
    row(
      'constrained (invoice schema, GBNF)',
      constrained,
      totals.constrained.calls,
      totals.constrained.tokens,
      `${totals.constrained.valid}/${totals.constrained.calls} records valid (ajv)`,
    ),
  );
  console.log('');
  console.log(`constrained / free = ${(constrained / free).toFixed(3)} (throughput cost ${(cost * 100).toFixed(1)}%; target ≤ 15%)`);
  console.log(
    JSON.stringify({
      tokens_per_s_free: Math.round(free),
      tokens_per_s_constrained: Math.round(constrained),
      ttft_ms: Number(ttft.toFixed(2)),
      constrained_ratio: Number((constrained / free).toFixed(3)),
      constrained_cost: Number(cost.toFixed(3)),
      constrained_valid: totals.constrained.valid,
      constrained_calls: totals.constrained.calls,
      parameters_m: Number((info.parameters / 1e6).toFixed(1)),
      threads,
    }),
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
