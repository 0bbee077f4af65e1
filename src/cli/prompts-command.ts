import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { parse as parseYaml } from 'yaml';
import type { WireList } from '../wire/list.js';
import type { WirePromptAuditEntry, WirePromptSummary, WirePromptVersion } from '../wire/prompts.js';
import { ApiClient, ClientError, reportingErrors, withClientOptions, type ClientFlags } from './api-client.js';
import { integer } from './config-options.js';
import { table } from './jobs-command.js';

type PromptFlags = ClientFlags & { tenant?: string; json?: boolean };

async function withClient<T>(flags: ClientFlags, work: (client: ApiClient) => Promise<T>): Promise<T> {
  const client = ApiClient.fromFlags(flags);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

function positive(value: string): number {
  const parsed = integer(value);
  if (parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

const tenantQuery = (flags: PromptFlags) => (flags.tenant ? `?tenant=${encodeURIComponent(flags.tenant)}` : '');
const path = (name: string) => `/v1/prompts/${encodeURIComponent(name)}`;

/** One version as text, for `show` and `diff`: its settings, then each message under its role. */
export function versionText(version: WirePromptVersion): string {
  const head = [
    `model: ${version.model ?? '-'}`,
    `parameters: ${JSON.stringify(version.parameters)}`,
    `variables: ${Object.entries(version.variables)
      .map(([name, spec]) => `${name}:${(spec as { type: string }).type}`)
      .join(', ')}`,
    ...(version.response_schema ? [`response_schema: ${JSON.stringify(version.response_schema)}`] : []),
  ];
  return `${[...head, ...version.messages.map((message) => `--- ${message.role}\n${message.content}`)].join('\n')}\n`;
}

/**
 * `breakwater prompts push|ls|show|diff|label|rollback|audit`: the prompt registry of a running
 * server. A virtual key (`--key`) works on its tenant's prompts; the admin token in `--key`
 * works on the shared prompts (or a tenant's, with `--tenant`) and moves protected labels.
 */
export function promptsCommand(): Command {
  const prompts = new Command('prompts').description('Push, list, compare, label and roll back versioned prompts on a running server');
  const option = (command: Command) => withClientOptions(command).option('--tenant <tenant>', "admin token only: a tenant's prompts instead of the shared ones");

  option(prompts.command('push'))
    .description('Push a new version from a YAML or JSON file (messages, variables, model, parameters, response_schema, description)')
    .argument('<name>', 'prompt name')
    .argument('<file>', 'the version, .yaml or .json')
    .option('--label <label...>', 'point these labels at the new version')
    .action(
      reportingErrors(async (name: string, file: string, flags: PromptFlags & { label?: string[] }) => {
        const text = await readFile(file, 'utf8').catch((error: unknown) => {
          throw new ClientError('FILE_NOT_FOUND', `Cannot read ${file}: ${(error as Error).message}`);
        });
        const definition = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
        const body = { ...definition, ...(flags.label ? { labels: flags.label } : {}), ...(flags.tenant ? { tenant: flags.tenant } : {}) };
        const { status, body: version } = await withClient(flags, (client) => client.call<WirePromptVersion>('POST', `${path(name)}/versions`, body));
        process.stdout.write(
          `${name} v${version.version} ${status === 201 ? 'pushed' : 'unchanged (same content as this version)'}${version.labels.length > 0 ? `; labels: ${version.labels.join(', ')}` : ''}\n`,
        );
      }),
    );

  option(prompts.command('ls'))
    .description('List prompts with their latest version and labels')
    .option('--shared', 'with a virtual key: the shared prompts instead of the tenant ones')
    .option('--json', 'print JSON')
    .action(
      reportingErrors(async (flags: PromptFlags & { shared?: boolean }) => {
        const query = flags.shared ? '?scope=shared' : tenantQuery(flags);
        const { body: page } = await withClient(flags, (client) => client.call<WireList<WirePromptSummary>>('GET', `/v1/prompts${query}`));
        if (flags.json) return void process.stdout.write(`${JSON.stringify(page)}\n`);
        if (page.data.length === 0) return void process.stdout.write('no prompts yet: breakwater prompts push <name> prompt.yaml --label staging\n');
        const rows = page.data.map((prompt) => [
          prompt.name,
          String(prompt.latest_version),
          Object.entries(prompt.labels)
            .map(([label, version]) => `${label}=v${version}`)
            .join(' ') || '-',
        ]);
        process.stdout.write(`${table([['NAME', 'LATEST', 'LABELS'], ...rows])}\n`);
      }),
    );

  option(prompts.command('show'))
    .description('Print a version (default: the latest) with its labels')
    .argument('<name>', 'prompt name')
    .option('--version <n>', 'version number', positive)
    .option('--json', 'print JSON')
    .action(
      reportingErrors(async (name: string, flags: PromptFlags & { version?: number }) => {
        const version = await withClient(flags, async (client) => {
          if (flags.version !== undefined) return (await client.call<WirePromptVersion>('GET', `${path(name)}/versions/${flags.version}${tenantQuery(flags)}`)).body;
          return (await client.call<{ versions: WirePromptVersion[] }>('GET', `${path(name)}${tenantQuery(flags)}`)).body.versions[0]!;
        });
        if (flags.json) return void process.stdout.write(`${JSON.stringify(version, null, 2)}\n`);
        process.stdout.write(`${name} v${version.version}${version.labels.length > 0 ? ` (${version.labels.join(', ')})` : ''} by ${version.created_by}\n${versionText(version)}`);
      }),
    );

  option(prompts.command('diff'))
    .description('Line diff of two versions')
    .argument('<name>', 'prompt name')
    .argument('<from>', 'version number', positive)
    .argument('<to>', 'version number', positive)
    .action(
      reportingErrors(async (name: string, from: number, to: number, flags: PromptFlags) => {
        const [a, b] = await withClient(flags, (client) =>
          Promise.all([from, to].map(async (number) => (await client.call<WirePromptVersion>('GET', `${path(name)}/versions/${number}${tenantQuery(flags)}`)).body)),
        );
        process.stdout.write(createTwoFilesPatch(`${name} v${from}`, `${name} v${to}`, versionText(a!), versionText(b!), '', '', { context: 3 }));
      }),
    );

  option(prompts.command('label'))
    .description('Point a label at a version (audited; protected labels need the admin token)')
    .argument('<name>', 'prompt name')
    .argument('<label>', 'label, e.g. production or staging')
    .argument('<version>', 'version number', positive)
    .action(
      reportingErrors(async (name: string, label: string, version: number, flags: PromptFlags) => {
        const body = { version, ...(flags.tenant ? { tenant: flags.tenant } : {}) };
        const { body: entry } = await withClient(flags, (client) => client.call<WirePromptAuditEntry>('PUT', `${path(name)}/labels/${encodeURIComponent(label)}`, body));
        process.stdout.write(`${name}@${label}: v${entry.from_version ?? '-'} -> v${entry.to_version}\n`);
      }),
    );

  option(prompts.command('rollback'))
    .description('Move a label back to the version it pointed at before its last move (audited)')
    .argument('<name>', 'prompt name')
    .argument('<label>', 'label')
    .action(
      reportingErrors(async (name: string, label: string, flags: PromptFlags) => {
        const body = flags.tenant ? { tenant: flags.tenant } : {};
        const { body: entry } = await withClient(flags, (client) => client.call<WirePromptAuditEntry>('POST', `${path(name)}/labels/${encodeURIComponent(label)}/rollback`, body));
        process.stdout.write(`${name}@${label}: rolled back v${entry.from_version ?? '-'} -> v${entry.to_version}\n`);
      }),
    );

  option(prompts.command('audit'))
    .description('Who pushed, moved and rolled back what, newest first')
    .argument('<name>', 'prompt name')
    .action(
      reportingErrors(async (name: string, flags: PromptFlags) => {
        const { body: page } = await withClient(flags, (client) => client.call<WireList<WirePromptAuditEntry>>('GET', `${path(name)}/audit${tenantQuery(flags)}`));
        const rows = page.data.map((entry) => [
          new Date(entry.at).toISOString().replace('T', ' ').slice(0, 19),
          entry.action,
          entry.label ?? '-',
          entry.from_version === null ? '-' : `v${entry.from_version}`,
          `v${entry.to_version}`,
          entry.actor,
        ]);
        process.stdout.write(`${table([['AT', 'ACTION', 'LABEL', 'FROM', 'TO', 'BY'], ...rows])}\n`);
      }),
    );
  return prompts;
}
