import { Command, InvalidArgumentError } from 'commander';
import type { WireJob, WireJobStatus } from '../wire/jobs.js';
import { ApiClient, reportingErrors, withClientOptions, type ClientFlags } from './api-client.js';
import { integer } from './config-options.js';
import { describeEvent } from './run-command.js';

const statuses: readonly string[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] satisfies WireJobStatus[];

/** Runs `work` with a client from the flags, closing its connections afterwards. */
async function withClient<T>(flags: ClientFlags, work: (client: ApiClient) => Promise<T>): Promise<T> {
  const client = ApiClient.fromFlags(flags);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

function status(value: string): string {
  if (!statuses.includes(value)) throw new InvalidArgumentError(`must be one of ${statuses.join(', ')}`);
  return value;
}

function limit(value: string): number {
  const parsed = integer(value);
  if (parsed < 1 || parsed > 100) throw new InvalidArgumentError('must be 1 to 100');
  return parsed;
}

function time(seconds: number | null): string {
  return seconds === null ? '-' : new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/** Left-aligned columns as wide as their widest cell. */
export function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function jobRow(job: WireJob): string[] {
  return [job.id, job.status, job.pipeline ?? job.kind, job.step ?? (job.error ? job.error.code : '-'), job.source ?? '-', time(job.created_at)];
}

export function jobsCommand(): Command {
  const jobs = new Command('jobs').description('List, inspect, cancel and follow jobs on a running server');
  withClientOptions(jobs.command('ls'))
    .description('List jobs, newest first')
    .option('--status <status>', `only jobs in this status (${statuses.join(', ')})`, status)
    .option('--pipeline <name>', 'only jobs of this pipeline')
    .option('--limit <n>', 'how many (1 to 100)', limit, 20)
    .option('--json', 'print the page as JSON')
    .action(
      reportingErrors(async (flags: ClientFlags & { status?: string; pipeline?: string; limit: number; json?: boolean }) => {
        const page = await withClient(flags, (client) =>
          client.listJobs({ limit: flags.limit, ...(flags.status ? { status: flags.status } : {}), ...(flags.pipeline ? { pipeline: flags.pipeline } : {}) }),
        );
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(page)}\n`);
          return;
        }
        if (page.data.length === 0) {
          process.stdout.write('no jobs yet: breakwater run invoice ./invoice.pdf\n');
          return;
        }
        process.stdout.write(`${table([['ID', 'STATUS', 'PIPELINE', 'STEP', 'SOURCE', 'CREATED'], ...page.data.map(jobRow)])}\n`);
        if (page.has_more) process.stdout.write(`(more: raise --limit, or GET /v1/jobs?cursor=${page.next_cursor})\n`);
      }),
    );
  withClientOptions(jobs.command('show'))
    .description('Print a job as JSON (status, step, result or error, webhook deliveries)')
    .argument('<id>', 'job id')
    .action(
      reportingErrors(async (id: string, flags: ClientFlags) => {
        const job = await withClient(flags, (client) => client.getJob(id));
        process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
      }),
    );
  withClientOptions(jobs.command('cancel'))
    .description('Cancel a queued or running job')
    .argument('<id>', 'job id')
    .action(
      reportingErrors(async (id: string, flags: ClientFlags) => {
        const job = await withClient(flags, (client) => client.cancelJob(id));
        process.stdout.write(`${job.id}: ${job.status}\n`);
      }),
    );
  withClientOptions(jobs.command('tail'))
    .description("Print a job's events as they happen, from the first, until it ends (reconnects across server restarts)")
    .argument('<id>', 'job id')
    .action(
      reportingErrors(async (id: string, flags: ClientFlags) => {
        await withClient(flags, async (client) => {
          for await (const event of client.followEvents(id)) {
            process.stdout.write(`${new Date(event.at * 1000).toISOString()}  #${event.seq}  ${event.type.padEnd(12)}  ${describeEvent(event)}\n`);
          }
        });
      }),
    );
  return jobs;
}
