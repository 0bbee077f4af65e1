import { Command, InvalidArgumentError } from 'commander';
import { openStore } from '../adapters/open-adapters.js';
import { KeyService } from '../core/keys/key-service.js';
import { piiModes, type BudgetPeriod, type PiiMode } from '../core/ports/store.js';
import { keyView } from '../http/routes/admin-keys.js';
import { integer, loadFromFlags, withConfigOption, type ConfigFlags } from './config-options.js';

interface CreateFlags extends ConfigFlags {
  name: string;
  tenant?: string;
  models?: string;
  rpm?: number;
  tpm?: number;
  budget?: number;
  period: BudgetPeriod;
  tag: string[];
  pii?: PiiMode;
  json?: boolean;
}

async function withKeys<T>(flags: ConfigFlags, work: (keys: KeyService) => Promise<T>): Promise<T> {
  const { config, env } = loadFromFlags(flags);
  const store = await openStore(config, env);
  try {
    return await work(new KeyService(store.keys));
  } finally {
    await store.close();
  }
}

function positive(value: string): number {
  const parsed = integer(value);
  if (parsed === 0) throw new InvalidArgumentError('must be a positive integer (omit the flag for no limit)');
  return parsed;
}

function usd(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive amount in USD');
  return parsed;
}

function piiMode(value: string): PiiMode {
  const mode = piiModes.find((candidate) => candidate === value);
  if (!mode) throw new InvalidArgumentError(`--pii must be one of ${piiModes.join(', ')}`);
  return mode;
}

function tag(value: string, previous: string[]): string[] {
  if (!/^[^=]+=.*$/.test(value)) throw new InvalidArgumentError('tags are name=value');
  return [...previous, value];
}

export function keysCommand(): Command {
  const keys = new Command('keys').description('Create, list and revoke virtual keys (stored only as hashes)');
  withConfigOption(keys.command('create'))
    .description('Create a virtual key; its secret is printed once and never stored')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .option('--tenant <tenant>', 'tenant whose caches and jobs this key shares (default: the key alone)')
    .option('--models <aliases>', 'comma-separated aliases this key may use (default: all)')
    .option('--rpm <n>', 'requests per minute', positive)
    .option('--tpm <n>', 'tokens per minute', positive)
    .option('--budget <usd>', 'spend limit in USD per period', usd)
    .option('--period <period>', 'budget period: day, month or total', 'month')
    .option('--tag <name=value>', 'a tag such as team=search (repeatable)', tag, [])
    .option('--pii <mode>', `this key's PII policy: ${piiModes.join(', ')} (default: the model's policy)`, piiMode)
    .option('--json', 'print JSON')
    .action(async (flags: CreateFlags) => {
      if (!['day', 'month', 'total'].includes(flags.period)) throw new InvalidArgumentError('--period must be day, month or total');
      const { key, secret } = await withKeys(flags, (service) =>
        service.create({
          name: flags.name,
          ...(flags.tenant ? { tenant: flags.tenant } : {}),
          allowedModels: flags.models
            ? flags.models
                .split(',')
                .map((alias) => alias.trim())
                .filter(Boolean)
            : null,
          rpm: flags.rpm ?? null,
          tpm: flags.tpm ?? null,
          budget: flags.budget ? { usd: flags.budget, period: flags.period } : null,
          tags: Object.fromEntries(flags.tag.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
          piiPolicy: flags.pii ?? null,
        }),
      );
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...keyView(key), key: secret })}\n`);
      else process.stdout.write(`created ${key.id} (${key.name})\nkey: ${secret}\nThis is the only time the key is shown; store it now.\n`);
    });
  withConfigOption(keys.command('list'))
    .description('List virtual keys (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (flags: ConfigFlags & { json?: boolean }) => {
      const list = await withKeys(flags, (service) => service.list());
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list.map(keyView))}\n`);
        return;
      }
      for (const key of list) {
        const budget = key.budget ? `$${key.budget.usd}/${key.budget.period}` : '-';
        const state = key.revokedAt ? 'revoked' : 'active';
        process.stdout.write(
          `${key.id}  ${key.prefix}…  ${key.name}  ${state}  models=${key.allowedModels?.join(',') ?? '*'}  rpm=${key.rpm ?? '-'}  tpm=${key.tpm ?? '-'}  budget=${budget}\n`,
        );
      }
      if (list.length === 0) process.stdout.write('no keys yet: breakwater keys create --name my-app\n');
    });
  withConfigOption(keys.command('revoke'))
    .description('Revoke a key by id; running servers stop accepting it within 5 seconds (at once through the admin API)')
    .argument('<id>', 'the key id (keys list shows it)')
    .action(async (id: string, flags: ConfigFlags) => {
      const key = await withKeys(flags, (service) => service.revoke(id));
      process.stdout.write(`revoked ${key.id} (${key.name})\n`);
    });
  return keys;
}
