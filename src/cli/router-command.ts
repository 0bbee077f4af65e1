import { Command, InvalidArgumentError } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { openStore } from '../adapters/open-adapters.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { TokenCounter } from '../core/pricing/token-counter.js';
import { trainRouterModel, type TrainingExample } from '../core/routing/auto/train-router-model.js';
import { exampleOf, linesFromFeedback, parseTrainingLine, type TrainingLine } from '../core/routing/auto/training-rows.js';
import { loadFromFlags, withConfigOption, type ConfigFlags } from './config-options.js';

interface FeedbackFlags extends ConfigFlags {
  tenant?: string;
  since?: string;
}

interface TrainFlags extends FeedbackFlags {
  out: string;
  fromFeedback?: boolean;
  recall: number;
}

/** Rated calls read per export: enough for any retraining, bounded so a huge table cannot exhaust memory. */
const feedbackLimit = 200_000;

function share(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1)) throw new InvalidArgumentError('must be a share between 0 and 1, e.g. 0.98');
  return parsed;
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return value;
}

/** Training lines of a JSONL file; a bad line stops with its number, not a silently smaller set. */
function readLines(path: string): TrainingLine[] {
  const lines: TrainingLine[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      const parsed = parseTrainingLine(text);
      if (!parsed.ok) throw new BreakwaterError('INVALID_REQUEST', `${path}:${index + 1}: ${parsed.error}`);
      lines.push(parsed.value);
    });
  return lines;
}

async function feedbackLines(flags: FeedbackFlags): Promise<{ lines: TrainingLine[]; skipped: number }> {
  const { config, env } = loadFromFlags(flags);
  const store = await openStore(config, env);
  try {
    const rated = await store.feedback.listRated({
      limit: feedbackLimit,
      ...(flags.tenant ? { tenant: flags.tenant } : {}),
      ...(flags.since ? { since: Date.parse(`${flags.since}T00:00:00Z`) } : {}),
    });
    return linesFromFeedback(rated);
  } finally {
    await store.close();
  }
}

/** `breakwater router train` and `breakwater router export-feedback`: the learned router's own labels in, a model file out. */
export function routerCommand(): Command {
  const router = new Command('router').description('Train the cost-aware router on your own labels and route feedback');

  router.addCommand(
    withConfigOption(new Command('train'))
      .description('Train a router model (logistic regression) from labelled JSONL and/or stored route feedback; point autoRoutes.<alias>.model at the file')
      .argument('[labelled]', 'JSONL: {"label": "easy"|"hard", "request": {"messages": [...]}} or {"label", "vector"} per line')
      .option('-o, --out <file>', 'where to write the model JSON', 'router-model.json')
      .option('--from-feedback', 'add the rated calls stored by POST /v1/feedback (opens the configured store)')
      .option('--tenant <tenant>', "with --from-feedback: only this tenant's ratings")
      .option('--since <date>', 'with --from-feedback: ratings from this day (YYYY-MM-DD, UTC)', day)
      .option('--recall <share>', 'share of hard rows the threshold keeps on the large tier, out of fold', share, 0.98)
      .action(async (labelled: string | undefined, flags: TrainFlags) => {
        if (!labelled && !flags.fromFeedback) throw new BreakwaterError('INVALID_REQUEST', 'router train needs a labelled JSONL file, --from-feedback, or both.');
        const tokens = new TokenCounter();
        const examples: TrainingExample[] = [];
        if (labelled) readLines(labelled).forEach((line, index) => examples.push(exampleOf(line, tokens, `line-${index}`)));
        let skipped = 0;
        if (flags.fromFeedback) {
          const feedback = await feedbackLines(flags);
          skipped = feedback.skipped;
          feedback.lines.forEach((line, index) => examples.push(exampleOf(line, tokens, `feedback-${index}`)));
        }
        const hard = examples.filter((example) => example.hard).length;
        if (hard === 0 || hard === examples.length) {
          throw new BreakwaterError('INVALID_REQUEST', `training needs easy and hard rows; got ${hard} hard of ${examples.length}. Add labelled requests of the missing kind.`);
        }
        const model = trainRouterModel(examples, { hardRecall: flags.recall, source: [labelled, flags.fromFeedback ? 'route feedback' : undefined].filter(Boolean).join(' + ') });
        writeFileSync(flags.out, `${JSON.stringify(model, null, 1)}\n`);
        const about = model.trainedOn ?? {};
        process.stdout.write(
          `trained on ${examples.length} rows (${hard} hard)${skipped ? `, ${skipped} ratings skipped (tiers other than small/large)` : ''}\n` +
            `threshold ${model.threshold}; out of fold: ${pct(about.outOfFoldHardToSmall)} of hard rows below it, ${pct(about.outOfFoldEasyToLarge)} of easy rows at or above it\n` +
            `wrote ${flags.out}: ${Object.keys(model.named).length} named features, ${Object.keys(model.ngrams).length} n-gram buckets\n`,
        );
      }),
  );

  router.addCommand(
    withConfigOption(new Command('export-feedback'))
      .description('Write stored route feedback as JSONL training lines ({"label", "vector"}), for `router train`')
      .option('-o, --out <file>', 'file to write (default: stdout)')
      .option('--tenant <tenant>', "only this tenant's ratings")
      .option('--since <date>', 'ratings from this day (YYYY-MM-DD, UTC)', day)
      .action(async (flags: FeedbackFlags & { out?: string }) => {
        const { lines, skipped } = await feedbackLines(flags);
        const text = lines.map((line) => JSON.stringify(line)).join('\n') + (lines.length ? '\n' : '');
        if (flags.out) writeFileSync(flags.out, text);
        else process.stdout.write(text);
        process.stderr.write(`${lines.length} training lines${skipped ? `; ${skipped} ratings skipped (tiers other than small/large)` : ''}\n`);
      }),
  );
  return router;
}

function pct(value: string | number | undefined): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '?';
}
