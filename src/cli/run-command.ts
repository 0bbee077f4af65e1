import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { WireJobEvent } from '../wire/job-events.js';
import type { WireJob, WireJobError, WirePipelineResult } from '../wire/jobs.js';
import { ApiClient, ClientError, reportingErrors, withClientOptions, type ClientFlags } from './api-client.js';

/** A pipeline job's steps in order; the bar's value is the index of the current one. */
const steps = ['reading document', 'extracting fields', 'validating', 'saving record'];
const terminal: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);
/** Submission errors about one file; anything else (auth, unknown pipeline, server down) stops the run. */
const perFileSubmitErrors: ReadonlySet<string> = new Set(['DOCUMENT_TOO_LARGE', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INVALID_REQUEST', 'IDEMPOTENCY_KEY_REUSED']);

export interface LoadedFile {
  path: string;
  name: string;
  bytes: Buffer;
}

export interface FileOutcome {
  file: LoadedFile;
  /** The final job, or null when submission itself was refused. */
  job: WireJob | null;
  /** Whether this run created the job (false: an earlier run's job, found by its Idempotency-Key). */
  created: boolean;
  error: WireJobError | null;
}

/** What shows a run's progress: bars on a terminal, one plain line per event elsewhere. */
export interface ProgressView {
  update(file: LoadedFile, event: WireJobEvent | { note: string }): void;
  stop(): void;
}

/** Reads every file before anything is submitted, so a typo never leaves half a batch behind. */
export async function loadFiles(paths: readonly string[]): Promise<LoadedFile[]> {
  const results = await Promise.allSettled(paths.map((path) => readFile(path)));
  const missing = paths.filter((_path, index) => results[index]!.status === 'rejected');
  if (missing.length > 0) {
    throw new ClientError('FILE_NOT_FOUND', `Cannot read ${missing.join(', ')}; nothing was submitted.`);
  }
  return paths.map((path, index) => ({ path, name: basename(path), bytes: (results[index] as PromiseFulfilledResult<Buffer>).value }));
}

/**
 * The Idempotency-Key of a file: the server hashes the whole body, document name included,
 * so the key covers the name too (the same bytes under two names would otherwise be refused
 * as IDEMPOTENCY_KEY_REUSED). Re-running the same command finds the earlier jobs.
 */
export function idempotencyKey(pipeline: string, file: LoadedFile): string {
  return createHash('sha256').update(pipeline).update('\0').update(file.name).update('\0').update(file.bytes).digest('hex');
}

/** Submits one job per file, then follows every job's events until all have ended. */
export async function runPipeline(client: ApiClient, pipeline: string, files: readonly LoadedFile[], view: ProgressView): Promise<FileOutcome[]> {
  const submitted: FileOutcome[] = [];
  for (const file of files) {
    try {
      const body = { kind: 'pipeline', pipeline, document: { name: file.name, data: file.bytes.toString('base64') } };
      const { job, created } = await client.submitJob(body, idempotencyKey(pipeline, file));
      if (!created) view.update(file, { note: `already submitted as ${job.id} (${job.status})` });
      submitted.push({ file, job, created, error: null });
    } catch (error) {
      if (!ClientError.isInstance(error) || !perFileSubmitErrors.has(error.code)) throw error;
      view.update(file, { note: `refused: ${error.code}` });
      submitted.push({ file, job: null, created: false, error: { code: error.code, message: error.message } });
    }
  }
  return Promise.all(
    submitted.map(async (outcome) => {
      if (!outcome.job) return outcome;
      if (!terminal.has(outcome.job.status)) {
        for await (const event of client.followEvents(outcome.job.id)) view.update(outcome.file, event);
      }
      const job = await client.getJob(outcome.job.id);
      return { ...outcome, job, error: job.error };
    }),
  );
}

/** One line for an event, for logs, pipes and `jobs tail`. */
export function describeEvent(event: WireJobEvent): string {
  switch (event.type) {
    case 'job-queued':
      return `queued as ${event.job_id}`;
    case 'job-start':
      return `started (attempt ${event.attempt ?? 1})`;
    case 'job-progress':
      return `${event.step ?? 'working'}${event.attempt !== undefined && event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'job-retry':
      return `will retry after ${event.error?.code ?? 'an error'}: ${event.error?.message ?? ''}`.trimEnd();
    case 'job-end':
      return 'succeeded';
    case 'job-fail':
      return `failed: ${event.error?.code ?? 'unknown error'}`;
    case 'job-cancel':
      return 'cancelled';
    default:
      return event.type;
  }
}

export function createProgressView(files: readonly LoadedFile[], stream: NodeJS.WriteStream): ProgressView {
  const width = Math.max(...files.map((file) => file.name.length), 4);
  if (!stream.isTTY) {
    return {
      update: (file, event) => stream.write(`${file.name.padEnd(width)}  ${'note' in event ? event.note : describeEvent(event)}\n`),
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { stream, format: '{file} |{bar}| {label}', barsize: 20, hideCursor: true, autopadding: true, clearOnComplete: false, stopOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byName = new Map(files.map((file) => [file.path, bars.create(steps.length, 0, { file: file.name.padEnd(width), label: 'submitting' })]));
  return {
    update: (file, event) => {
      const bar = byName.get(file.path);
      if (!bar) return;
      if ('note' in event) bar.update({ label: event.note });
      else if (event.type === 'job-progress') bar.update(Math.max(0, steps.indexOf(event.step ?? '')), { label: describeEvent(event) });
      else if (event.type === 'job-end') bar.update(steps.length, { label: 'done' });
      else bar.update({ label: describeEvent(event) });
    },
    stop: () => bars.stop(),
  };
}

export function summaryLine(outcomes: readonly FileOutcome[]): string {
  const succeeded = outcomes.filter((outcome) => outcome.job?.status === 'succeeded').length;
  const cancelled = outcomes.filter((outcome) => outcome.job?.status === 'cancelled').length;
  const failed = outcomes.length - succeeded - cancelled;
  return `${succeeded} succeeded, ${failed} failed${cancelled > 0 ? `, ${cancelled} cancelled` : ''}`;
}

/** A failure as its code, message and (for EXTRACTION_FAILED) each validation error. */
export function describeFailure(outcome: FileOutcome): string {
  const error = outcome.error ?? {
    code: outcome.job?.status === 'cancelled' ? 'JOB_CANCELLED' : 'UNKNOWN',
    message: `The job ended ${outcome.job?.status ?? 'without a status'}.`,
  };
  const issues = error.details?.validation_errors ?? [];
  return [`${error.code}: ${error.message}`, ...issues.map((issue) => `  ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`)].join('\n');
}

function printOutcome(outcome: FileOutcome, write: (text: string) => void): void {
  const job = outcome.job;
  if (job?.status === 'succeeded') {
    const result = job.result as WirePipelineResult;
    write(`${outcome.file.name}: succeeded (${job.id}${result.record_id ? `, record ${result.record_id}` : ''})\n${JSON.stringify(result.record, null, 2)}\n\n`);
  } else {
    write(`${outcome.file.name}: ${job?.status ?? 'refused'}${job ? ` (${job.id})` : ''}\n${describeFailure(outcome)}\n\n`);
  }
}

function jsonOutcome(outcome: FileOutcome): Record<string, unknown> {
  const result = outcome.job?.status === 'succeeded' ? (outcome.job.result as WirePipelineResult) : null;
  return {
    file: outcome.file.path,
    job_id: outcome.job?.id ?? null,
    status: outcome.job?.status ?? 'refused',
    created: outcome.created,
    record_id: result?.record_id ?? null,
    record: result?.record ?? null,
    error: outcome.error,
  };
}

export function runCommand(): Command {
  return withClientOptions(new Command('run'))
    .description('Run a pipeline on files: one job each, live progress, then the records (exit 1 if any failed)')
    .argument('<pipeline>', 'pipeline name (GET /v1/pipelines lists them), e.g. invoice')
    .argument('<files...>', 'documents to extract from (PDF, DOCX, HTML, Markdown, text)')
    .option('--json', 'print one JSON object per file instead of pretty records')
    .action(
      reportingErrors(async (pipeline: string, paths: string[], flags: ClientFlags & { json?: boolean }) => {
        const files = await loadFiles(paths);
        const client = ApiClient.fromFlags(flags);
        const view = createProgressView(files, process.stderr);
        let outcomes: FileOutcome[];
        try {
          outcomes = await runPipeline(client, pipeline, files, view);
        } finally {
          view.stop();
          await client.close();
        }
        const write = (text: string) => process.stdout.write(text);
        for (const outcome of outcomes) {
          if (flags.json) write(`${JSON.stringify(jsonOutcome(outcome))}\n`);
          else printOutcome(outcome, write);
        }
        if (!flags.json) write(`${summaryLine(outcomes)}\n`);
        if (outcomes.some((outcome) => outcome.job?.status !== 'succeeded')) process.exitCode = 1;
      }),
    );
}
