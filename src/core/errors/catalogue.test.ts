import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCatalogue, type ErrorCode } from './catalogue.js';

const errorsDoc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const heading = /^### `([^`]+)`\s*$/;

/** Each `### \`CODE\`` section of docs/errors.md with the first non-blank line under it. */
function documentedSections(markdown: string): Array<{ code: string; line: string | undefined }> {
  const lines = markdown.split(/\r?\n/);
  const sections: Array<{ code: string; line: string | undefined }> = [];
  lines.forEach((text, index) => {
    const match = heading.exec(text);
    if (!match) return;
    const line = lines.slice(index + 1).find((candidate) => candidate.trim() !== '');
    sections.push({ code: match[1]!, line: line?.trim() });
  });
  return sections;
}

function expectedLine(code: ErrorCode): string {
  const entry = errorCatalogue[code];
  return `HTTP ${entry.status} · type \`${entry.type}\` · retryable: ${entry.retryable ? 'yes' : 'no'}`;
}

const sections = documentedSections(errorsDoc);
const catalogueCodes = Object.keys(errorCatalogue) as ErrorCode[];

test('every catalogued error code is documented in docs/errors.md with its status and type', () => {
  const undocumented = catalogueCodes.filter((code) => !sections.some((section) => section.code === code));
  assert.deepEqual(undocumented, [], `add a "### \`CODE\`" section to docs/errors.md for: ${undocumented.join(', ')}`);
  for (const code of catalogueCodes) {
    const section = sections.find((candidate) => candidate.code === code)!;
    assert.equal(section.line, expectedLine(code), `docs/errors.md section ${code}: the line under the heading must match the catalogue`);
  }
});

test('docs/errors.md documents no code that is missing from the catalogue', () => {
  const unknown = sections.map((section) => section.code).filter((code) => !Object.hasOwn(errorCatalogue, code));
  assert.deepEqual(unknown, [], `docs/errors.md documents codes that are not in src/core/errors/catalogue.ts: ${unknown.join(', ')}`);
});

test('docs/errors.md documents each code once', () => {
  const seen = new Set<string>();
  const duplicates = sections.map((section) => section.code).filter((code) => (seen.has(code) ? true : (seen.add(code), false)));
  assert.deepEqual(duplicates, []);
});
