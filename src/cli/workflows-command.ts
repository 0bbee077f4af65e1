import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { WireList } from '../wire/list.js';
import type { WireApproval, WireJournalEntry, WireWorkflowRun } from '../wire/workflows.js';
import { ApiClient, type ClientFlags, reportingErrors, withClientOptions } from './api-client.js';
import { table } from './jobs-command.js';

async function withClient<T>(flags: ClientFlags, work: (client: ApiClient) => Promise<T>): Promise<T> {
  const client = ApiClient.fromFlags(flags);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

function json(value: string): unknown {
  try {
    return JSON.parse(value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value);
  } catch (error) {
    throw new InvalidArgumentError(`must be JSON (or @file.json): ${error instanceof Error ? error.message : String(error)}`);
  }
}

const time = (seconds: number | null) => (seconds === null ? '-' : new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19));
const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** `breakwater workflows run|ls|show|approvals|approve|reject` against a running server. */
export function workflowsCommand(): Command {
  const workflows = new Command('workflows').description('Start, list and inspect workflow runs; decide their approvals');
  withClientOptions(workflows.command('run'))
    .description('Start a run of a workflow (prints the run; --wait follows it until it ends or waits for an approval)')
    .argument('<workflow>', 'workflow name')
    .option('--input <json>', 'the run input as JSON, or @file.json', json, {})
    .option('--wait', 'poll until the run ends or waits for an approval')
    .action(
      reportingErrors(async (name: string, flags: ClientFlags & { input: unknown; wait?: boolean }) => {
        await withClient(flags, async (client) => {
          let run = (await client.call<WireWorkflowRun>('POST', `/v1/workflows/${encodeURIComponent(name)}/runs`, { input: flags.input })).body;
          print(`${run.id}: ${run.status} (${run.workflow}@${run.version}, state ${run.state})`);
          while (flags.wait && ['queued', 'running'].includes(run.status)) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            run = (await client.call<WireWorkflowRun>('GET', `/v1/workflow-runs/${run.id}`)).body;
          }
          if (flags.wait) print(`${run.id}: ${run.status} in state ${run.state}${run.error ? ` (${run.error.code}: ${run.error.message})` : ''}`);
        });
      }),
    );
  withClientOptions(workflows.command('ls'))
    .description('List runs, newest first')
    .option('--status <status>', 'only runs in this status')
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--json', 'print the page as JSON')
    .action(
      reportingErrors(async (flags: ClientFlags & { status?: string; workflow?: string; json?: boolean }) => {
        const query = new URLSearchParams({ ...(flags.status ? { status: flags.status } : {}), ...(flags.workflow ? { workflow: flags.workflow } : {}) });
        const page = await withClient(flags, async (client) => (await client.call<WireList<WireWorkflowRun>>('GET', `/v1/workflow-runs?${query}`)).body);
        if (flags.json) return print(JSON.stringify(page));
        if (page.data.length === 0) return print("no runs yet: breakwater workflows run <workflow> --input '{...}'");
        print(
          table([
            ['ID', 'WORKFLOW', 'STATUS', 'STATE', 'STEPS', 'CREATED'],
            ...page.data.map((run) => [run.id, `${run.workflow}@${run.version}`, run.status, run.state, String(run.steps), time(run.created_at)]),
          ]),
        );
      }),
    );
  withClientOptions(workflows.command('show'))
    .description('Print a run and its journal')
    .argument('<run>', 'run id')
    .option('--json', 'print the run and journal as JSON')
    .action(
      reportingErrors(async (id: string, flags: ClientFlags & { json?: boolean }) => {
        const { run, journal } = await withClient(flags, async (client) => ({
          run: (await client.call<WireWorkflowRun>('GET', `/v1/workflow-runs/${id}`)).body,
          journal: (await client.call<{ data: WireJournalEntry[] }>('GET', `/v1/workflow-runs/${id}/journal?limit=1000`)).body.data,
        }));
        if (flags.json) return print(JSON.stringify({ run, journal }, null, 2));
        print(
          `${run.id}  ${run.workflow}@${run.version}  ${run.status}  state ${run.state}  $${run.budget_spent_usd.toFixed(6)}${run.error ? `  ${run.error.code}: ${run.error.message}` : ''}`,
        );
        for (const entry of journal)
          print(
            `  #${entry.seq}  ${entry.kind.padEnd(17)} ${entry.state.padEnd(12)} ${(entry.actor ?? '').padEnd(10)} ${JSON.stringify(entry.output ?? entry.input).slice(0, 100)}`,
          );
      }),
    );
  withClientOptions(workflows.command('approvals'))
    .description('List approval requests (pending by default)')
    .option('--status <status>', 'pending, approved, rejected, expired or cancelled', 'pending')
    .action(
      reportingErrors(async (flags: ClientFlags & { status: string }) => {
        const page = await withClient(
          flags,
          async (client) => (await client.call<WireList<WireApproval>>('GET', `/v1/approvals?status=${encodeURIComponent(flags.status)}&limit=100`)).body,
        );
        if (page.data.length === 0) return print(`no ${flags.status} approvals`);
        print(
          table([
            ['ID', 'RUN', 'TOOL', 'ARGS', 'EXPIRES'],
            ...page.data.map((item) => [item.id, item.run_id, item.tool, JSON.stringify(item.args).slice(0, 60), time(item.expires_at)]),
          ]),
        );
      }),
    );
  for (const decision of ['approve', 'reject'] as const) {
    withClientOptions(workflows.command(decision))
      .description(decision === 'approve' ? 'Approve a tool call (optionally with edited arguments)' : 'Reject a tool call')
      .argument('<approval>', 'approval id')
      .requiredOption('--by <name>', 'who decides (recorded in the journal)')
      .option('--reason <text>', 'why')
      .option('--args <json>', 'approve with these arguments instead (JSON or @file.json)', json)
      .action(
        reportingErrors(async (id: string, flags: ClientFlags & { by: string; reason?: string; args?: unknown }) => {
          const body = { by: flags.by, ...(flags.reason ? { reason: flags.reason } : {}), ...(decision === 'approve' && flags.args !== undefined ? { args: flags.args } : {}) };
          const approval = await withClient(flags, async (client) => (await client.call<WireApproval>('POST', `/v1/approvals/${id}/${decision}`, body)).body);
          print(`${approval.id}: ${approval.status} by ${approval.decided_by} (run ${approval.run_id})`);
        }),
      );
  }
  return workflows;
}
