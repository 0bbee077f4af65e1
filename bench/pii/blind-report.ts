import { piiTypes } from '../../src/core/pii/pii-type.js';
import { isStructured, rate, total, type LeakScore, type Tally } from './leak-score.js';

export interface SideBySide {
  dev: { rules: LeakScore; nlp: LeakScore; lines: number };
  blind?: { rules: LeakScore; nlp: LeakScore; lines: number; files: number; sha256: string };
}

const show = (tally: Tally | undefined) => (!tally || tally.total === 0 ? '—' : `${rate(tally).toFixed(3)} (${tally.caught}/${tally.total})`);

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** The five headline figures of one scored set. */
export function headline(score: { rules: LeakScore; nlp: LeakScore }) {
  return {
    structured: total(score.nlp.byType, isStructured),
    namesNlp: score.nlp.byType.get('NAME') ?? { caught: 0, total: 0 },
    namesRules: score.rules.byType.get('NAME') ?? { caught: 0, total: 0 },
    cleanRules: score.rules.clean,
    cleanNlp: score.nlp.clean,
    exactStructured: score.nlp.exactStructured,
  };
}

/**
 * The blind set first (the figure that counts), the dev set beside it; then the blind set's
 * aggregates per type and per locale. Never a line or a mistake of the blind set.
 */
export function sideBySideReport(figures: SideBySide): string[] {
  const dev = headline(figures.dev);
  const blind = figures.blind ? headline(figures.blind) : undefined;
  const lines = [
    figures.blind
      ? `HEADLINE: blind set eval/blind/pii (${figures.blind.lines} lines, ${figures.blind.files} files, sha256 ${figures.blind.sha256}); dev set ${figures.dev.lines} lines`
      : `blind set not run (--dev-only or eval/blind/pii missing); dev set ${figures.dev.lines} lines`,
    'caught = every character of the labelled value was redacted (it never reached the upstream), whatever type it was found as',
    '',
    ...table(
      ['figure', 'blind', 'dev', 'target'],
      [
        ['structured types caught', show(blind?.structured), show(dev.structured), '>= 0.99'],
        ['names caught, nlp: true', show(blind?.namesNlp), show(dev.namesNlp), '>= 0.90'],
        ['names caught, rules (default)', show(blind?.namesRules), show(dev.namesRules), ''],
        ['clean lines altered, rules', show(blind?.cleanRules), show(dev.cleanRules), '<= 0.03'],
        ['clean lines altered, nlp: true', show(blind?.cleanNlp), show(dev.cleanNlp), '<= 0.03'],
        ['structured, exact type and span', show(blind?.exactStructured), show(dev.exactStructured), ''],
      ],
    ),
  ];
  if (!figures.blind) return lines;
  const { rules, nlp } = figures.blind;
  const types = piiTypes.filter((type) => rules.byType.has(type) || rules.spuriousByType.has(type) || nlp.spuriousByType.has(type));
  lines.push(
    '',
    'blind set per type (aggregates):',
    ...table(
      ['type', 'caught, rules', 'caught, nlp', 'spans over no label, rules', 'nlp'],
      types.map((type) => [type, show(rules.byType.get(type)), show(nlp.byType.get(type)), String(rules.spuriousByType.get(type) ?? 0), String(nlp.spuriousByType.get(type) ?? 0)]),
    ),
    '',
    'blind set per locale (aggregates):',
    ...table(
      ['locale', 'structured caught', 'names, rules', 'names, nlp', 'clean altered, rules', 'clean altered, nlp'],
      [...new Set([...rules.structuredByLocale.keys(), ...rules.namesByLocale.keys(), ...rules.cleanByLocale.keys()])]
        .sort()
        .map((locale) => [
          locale,
          show(nlp.structuredByLocale.get(locale)),
          show(rules.namesByLocale.get(locale)),
          show(nlp.namesByLocale.get(locale)),
          show(rules.cleanByLocale.get(locale)),
          show(nlp.cleanByLocale.get(locale)),
        ]),
    ),
  );
  return lines;
}
