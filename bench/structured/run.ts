/**
 * bench:structured — what the extraction engine (validate → repair → re-ask) turns a model
 * that answers wrong 30% of the time into, next to the same answers taken as they come (one
 * call, JSON.parse, validate). Progress goes to stderr; the report goes to stdout and ends with
 * one JSON line. See README.md in this folder.
 *
 *   npm run bench:structured [-- --extractions=2000 --seed=7]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { extract, type ExtractionResult } from '../../src/core/extraction/extract.js';
import { toStrictSchema } from '../../src/core/extraction/strict-schema.js';
import { documentMessages, generateInvoice, invoiceSchema } from './invoice.js';
import type { AnswerKind } from './model-answers.js';
import { ModelClient } from './model-client.js';
import { report, type BenchFigures, type EngineRun, type BaselineRun } from './report.js';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const argument = (name: string, fallback: number) => Number(process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const settings = { extractions: argument('extractions', 2000), seed: argument('seed', 7), concurrency: 32, maxAttempts: 3, wrongRate: 0.3, reaskCorrectRate: 0.9 };
const warmUpExtractions = 200;
const rounds = 3;
const log = (line: string) => process.stderr.write(`${line}\n`);

// An independent check of every record the engine returns: a separate ajv instance, not the
// engine's SchemaValidator, so a bug in the engine's validation cannot hide itself.
const addFormats = addFormatsModule.default;
const independentAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats(independentAjv);
const validInvoice = independentAjv.compile(invoiceSchema);
// The baseline sends what the engine's first call sends, so both get the same first answer and
// comparable token counts.
const baselineFormat = { type: 'json_schema', json_schema: { name: 'invoice', schema: toStrictSchema(invoiceSchema), strict: true } } as const;

const server = spawn(
  process.execPath,
  ['--import', 'tsx', join(benchDirectory, 'mock-model-server.ts'), String(settings.seed), String(settings.wrongRate), String(settings.reaskCorrectRate)],
  {
    cwd: resolve(benchDirectory, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const stopServer = () => {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
};
process.on('exit', stopServer);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));

let client: ModelClient | undefined;
try {
  const port = await serverPort();
  client = new ModelClient(`http://127.0.0.1:${port}`, settings.concurrency);
  log(`mock model on 127.0.0.1:${port}; ${settings.extractions} extractions, concurrency ${settings.concurrency}, seed ${settings.seed}`);
  const environment = `${cpus().length} CPUs, Node ${process.version}, load average at start ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`;
  // Warm-up on documents outside the measured range, so both passes run on a warm JIT and open sockets.
  await runBaseline(client, settings.extractions, warmUpExtractions);
  await runEngine(client, settings.extractions, warmUpExtractions);
  // Answers depend only on (seed, document, attempt), so every round scores the same; the
  // rounds only steady the throughput figure, a pass being about a second on a shared machine.
  let baseline: BaselineRun | undefined;
  let engine: EngineRun | undefined;
  for (let round = 1; round <= rounds; round++) {
    log(`round ${round}/${rounds}: baseline (one call, JSON.parse, validate), then engine (extract(), at most ${settings.maxAttempts} calls)`);
    const baselineRound = await runBaseline(client, 0, settings.extractions);
    const engineRound = await runEngine(client, 0, settings.extractions);
    if (!baseline || baselineRound.wallMs < baseline.wallMs) baseline = baselineRound;
    if (!engine || engineRound.wallMs < engine.wallMs) engine = engineRound;
  }
  if (!baseline || !engine) throw new Error('no round ran');
  const figures: BenchFigures = { settings, environment, baseline, engine, rounds };
  for (const line of report(figures)) console.log(line);
} catch (error) {
  log(`bench:structured failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await client?.close();
  stopServer();
}

async function serverPort(): Promise<number> {
  const lines = createInterface({ input: server.stdout as NonNullable<typeof server.stdout> });
  const exited = once(server, 'exit').then(() => {
    throw new Error('the mock model server exited before listening');
  });
  const listening = (async () => {
    for await (const line of lines) {
      const match = /^listening (\d+)$/.exec(line);
      if (match) return Number(match[1]);
    }
    throw new Error('the mock model server closed its output before listening');
  })();
  return Promise.race([listening, exited]);
}

/** Runs `count` tasks with at most `concurrency` in flight; returns the wall time in ms. */
async function inParallel(count: number, task: (index: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, worker));
  return performance.now() - started;
}

async function runBaseline(client: ModelClient, first: number, count: number): Promise<BaselineRun> {
  const run: BaselineRun = { count, valid: 0, parsedButInvalid: 0, wallMs: 0, inputTokens: 0, outputTokens: 0, byKind: {} };
  run.wallMs = await inParallel(count, async (index) => {
    const id = first + index;
    const { completion, kind } = await client.chat({ messages: documentMessages(id, generateInvoice(settings.seed, id)), response_format: baselineFormat, temperature: 0 });
    run.inputTokens += completion.usage?.prompt_tokens ?? 0;
    run.outputTokens += completion.usage?.completion_tokens ?? 0;
    let parsed: { value: unknown } | undefined;
    try {
      parsed = { value: JSON.parse(completion.choices[0]?.message.content ?? '') };
    } catch {
      parsed = undefined;
    }
    const valid = parsed !== undefined && validInvoice(parsed.value);
    if (valid) run.valid++;
    else if (parsed !== undefined) run.parsedButInvalid++;
    const tally = (run.byKind[kind] ??= { count: 0, valid: 0 });
    tally.count++;
    if (valid) tally.valid++;
  });
  return run;
}

async function runEngine(client: ModelClient, first: number, count: number): Promise<EngineRun> {
  const run: EngineRun = {
    count,
    validWithin: Array.from({ length: settings.maxAttempts + 1 }, () => 0),
    failed: 0,
    invalidWritten: 0,
    wrongValuesWritten: 0,
    calls: 0,
    firstAnswers: { total: 0, wrong: 0 },
    reasks: { total: 0, correct: 0 },
    byFirstKind: {},
    wallMs: 0,
    inputTokens: 0,
    outputTokens: 0,
  };
  run.wallMs = await inParallel(count, async (index) => {
    const id = first + index;
    const truth = generateInvoice(settings.seed, id);
    const kinds: AnswerKind[] = [];
    const result: ExtractionResult = await extract(
      {
        schemaName: 'invoice',
        schema: invoiceSchema,
        messages: documentMessages(id, truth),
        strategy: 'auto',
        nativeJsonSchema: true,
        maxAttempts: settings.maxAttempts,
        temperature: 0,
      },
      async (request) => {
        const { completion, kind } = await client.chat(request);
        kinds.push(kind);
        return completion;
      },
    );
    run.calls += kinds.length;
    run.inputTokens += result.usage.inputTokens;
    run.outputTokens += result.usage.outputTokens;
    run.firstAnswers.total++;
    if (kinds[0] !== 'correct') run.firstAnswers.wrong++;
    run.reasks.total += kinds.length - 1;
    run.reasks.correct += kinds.slice(1).filter((kind) => kind === 'correct').length;
    const firstKind = kinds[0] ?? 'correct';
    const tally = (run.byFirstKind[firstKind] ??= { count: 0, validFirstCall: 0, validEventually: 0, failed: 0 });
    tally.count++;
    if (result.ok) {
      for (let attempts = result.attempts.length; attempts <= settings.maxAttempts; attempts++) run.validWithin[attempts] = (run.validWithin[attempts] ?? 0) + 1;
      if (!validInvoice(result.record)) run.invalidWritten++;
      if (!isDeepStrictEqual(result.record, truth)) run.wrongValuesWritten++;
      if (result.attempts.length === 1) tally.validFirstCall++;
      tally.validEventually++;
    } else {
      run.failed++;
      tally.failed++;
    }
  });
  return run;
}
