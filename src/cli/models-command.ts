import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ClientError, reportingErrors } from './api-client.js';
import { table } from './jobs-command.js';
import { downloadModel, type DownloadProgress } from './models/download.js';
import { modelsDir as defaultModelsDir } from '../config/defaults.js';
import { catalogueNameOf, defaultModelHub, modelCatalogue, resolveModelSource } from './models/model-catalogue.js';

interface DirFlags {
  dir?: string;
}

const partialSuffix = '.partial';

function modelsDir(flags: DirFlags): string {
  return resolve(flags.dir ?? defaultModelsDir(process.env));
}

function sha256(value: string): string {
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new InvalidArgumentError('must be 64 hexadecimal digits');
  return value.toLowerCase();
}

function withDirOption(command: Command): Command {
  return command.option('--dir <path>', 'models folder (default: $BREAKWATER_MODELS_DIR, then ./data/models)');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A bar on a terminal; elsewhere (CI logs, pipes) a line per 10 %, which stays readable. */
function progressReporter(fileName: string): { onProgress: (progress: DownloadProgress) => void; stop: () => void } {
  const stream = process.stderr;
  let bar: cliProgress.SingleBar | null = null;
  let lastStep = -1;
  const line = (progress: DownloadProgress): string =>
    `${formatBytes(progress.bytes)}${progress.total === null ? '' : ` of ${formatBytes(progress.total)}`}, ${formatBytes(progress.bytesPerSecond)}/s`;
  return {
    onProgress(progress) {
      if (stream.isTTY && progress.total !== null) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ stream, hideCursor: true, format: `${fileName} [{bar}] {percentage}% | {detail}` }, cliProgress.Presets.shades_classic);
          bar.start(progress.total, progress.bytes, { detail: line(progress) });
        }
        bar.update(progress.bytes, { detail: line(progress) });
        return;
      }
      // Without a total, a line per 100 MB.
      const step = progress.total ? Math.floor((progress.bytes / progress.total) * 10) : Math.floor(progress.bytes / (100 * 1024 * 1024));
      if (step === lastStep) return;
      lastStep = step;
      const percent = progress.total ? `${Math.floor((progress.bytes / progress.total) * 100)}% ` : '';
      stream.write(`${fileName}: ${percent}(${line(progress)})\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function existing(path: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function pull(source: string, flags: DirFlags & { sha256?: string }): Promise<void> {
  const dir = modelsDir(flags);
  const model = resolveModelSource(source, process.env.BREAKWATER_MODEL_HUB || defaultModelHub);
  const expected = flags.sha256 ?? model.sha256;
  const destination = join(dir, model.fileName);
  if (await existing(destination)) {
    if (expected && (await fileSha256(destination)) !== expected) {
      throw new ClientError(
        'MODEL_CHECKSUM_MISMATCH',
        `${destination} is already there but its sha256 is not ${expected}: \`breakwater models rm ${model.fileName}\`, then pull again`,
      );
    }
    process.stdout.write(`${model.fileName} is already in ${dir}\n`);
    return;
  }
  await mkdir(dir, { recursive: true });
  const reporter = progressReporter(model.fileName);
  let result;
  try {
    result = await downloadModel({
      url: model.url,
      destination,
      label: source,
      sha256: expected,
      sizeBytes: model.sizeBytes,
      onProgress: reporter.onProgress,
    });
  } finally {
    reporter.stop();
  }
  const resumed = result.resumedFrom > 0 ? `, resumed from ${formatBytes(result.resumedFrom)}` : '';
  const verified = expected ? 'verified' : 'not verified: no checksum known';
  process.stdout.write(`saved ${result.path} (${formatBytes(result.bytes)}${resumed})\nsha256 ${result.sha256} (${verified})\n`);
}

interface ListedModel {
  name: string;
  path: string;
  size_bytes: number;
  modified: string;
  catalogue: string | null;
  complete: boolean;
}

async function list(flags: DirFlags & { json?: boolean }): Promise<void> {
  const dir = modelsDir(flags);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const models: ListedModel[] = [];
  for (const entry of entries.filter((candidate) => candidate.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
    const info = await stat(join(dir, entry.name));
    const complete = !entry.name.endsWith(partialSuffix);
    const fileName = complete ? entry.name : entry.name.slice(0, -partialSuffix.length);
    models.push({ name: entry.name, path: join(dir, entry.name), size_bytes: info.size, modified: info.mtime.toISOString(), catalogue: catalogueNameOf(fileName), complete });
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(models)}\n`);
    return;
  }
  if (models.length === 0) {
    process.stdout.write(`no models in ${dir} yet: breakwater models pull ${Object.keys(modelCatalogue)[0]}\n`);
    return;
  }
  const rows = models.map((model) => [
    model.name,
    formatBytes(model.size_bytes),
    model.modified.replace('T', ' ').slice(0, 19),
    model.complete ? (model.catalogue ?? '-') : 'incomplete: pull again to resume',
  ]);
  process.stdout.write(`${table([['NAME', 'SIZE', 'MODIFIED', 'CATALOGUE'], ...rows])}\n`);
}

async function remove(target: string, flags: DirFlags): Promise<void> {
  const dir = modelsDir(flags);
  const entry = Object.hasOwn(modelCatalogue, target) ? resolveModelSource(target).fileName : target;
  const path = resolve(dir, entry);
  const inside = relative(dir, path);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ClientError('MODEL_PATH_OUTSIDE_DIR', `${target} is outside the models folder ${dir}: models rm only deletes files in it`);
  }
  const candidates = path.endsWith(partialSuffix) ? [path] : [path, `${path}${partialSuffix}`];
  const removed: string[] = [];
  for (const candidate of candidates) {
    const info = await existing(candidate);
    if (!info) continue;
    if (!info.isFile()) throw new ClientError('MODEL_PATH_NOT_A_FILE', `${candidate} is not a model file; models rm deletes single files only`);
    await rm(candidate);
    removed.push(candidate);
  }
  if (removed.length === 0) throw new ClientError('MODEL_FILE_NOT_FOUND', `No ${entry} in ${dir}: \`breakwater models ls\` lists what is there`);
  for (const path of removed) process.stdout.write(`removed ${path}\n`);
}

export function modelsCommand(): Command {
  const models = new Command('models').description('Download, list and delete local GGUF models (docs/local-models.md)');
  const names = Object.entries(modelCatalogue)
    .map(([name, entry]) => `  ${name}: ${entry.description}`)
    .join('\n');
  withDirOption(models.command('pull'))
    .description('Download a model into the models folder, resuming an interrupted download')
    .argument('<model>', 'a catalogue name, an hf:<owner>/<repo>/<file>.gguf URI or an https URL')
    .option('--sha256 <hex>', 'expected sha256 of the file; a mismatch deletes the download', sha256)
    .addHelpText('after', `\nCatalogue:\n${names}\n\nhf: URIs resolve against https://huggingface.co, or $BREAKWATER_MODEL_HUB (a mirror).`)
    .action(reportingErrors(pull));
  withDirOption(models.command('ls')).description('List the models in the models folder').option('--json', 'print the list as JSON').action(reportingErrors(list));
  withDirOption(models.command('rm'))
    .description('Delete a model file (and its partial download) from the models folder')
    .argument('<model>', 'a file name in the models folder, or a catalogue name')
    .action(reportingErrors(remove));
  return models;
}
