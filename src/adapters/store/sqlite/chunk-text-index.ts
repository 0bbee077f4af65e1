import type Database from 'better-sqlite3';
import type { CollectionScope, DocumentMetadata } from '../../../core/ports/collection-store.js';
import { metadataTerm } from './chunk-filter-terms.js';
import { CommonWordScore } from './common-word-score.js';

/** BM25 column weights: a heading word counts half a body word; the filter terms count nothing. */
const ranking = (table: string) => `bm25(${table}, 0.5, 1.0, 0.0)`;

/**
 * Most rows a text search has FTS5 score. FTS5 scores every row matching any query word, and its
 * BM25 walks every row holding each word to count them, so one word found in half of 100k chunks
 * cost ~50 ms. The query's words are matched rarest first while their document counts fit (the
 * rarest always); the commoner words only re-rank the best `rescoredCandidates` of that match,
 * in `CommonWordScore`, adding the same BM25 terms FTS5 would have.
 */
export const scoredRowBudget = 3_000;
export const rescoredCandidates = 200;

export interface ChunkTextIndexSettings {
  scoredRowBudget: number;
  rescoredCandidates: number;
}

export interface TextMatch {
  label: number;
  score: number;
}

/**
 * The full-text side of the embedded collection store: one contentless FTS5 table per
 * collection (`chunk_search_<id>`: heading, text, filters), rows keyed by chunk label, with an
 * fts5vocab table of its document counts. A table per collection scopes every search to one
 * tenant's collection before anything is ranked, and gives BM25 that collection's statistics,
 * not the whole file's. Callers run writes inside their transactions.
 */
export class ChunkTextIndex {
  private readonly tables = new Map<string, string | null>();
  /** Rows of each table, counted on first search and kept by add and remove (one process writes the file). */
  private readonly rows = new Map<string, number>();
  private readonly statements = new Map<string, Database.Statement>();

  private readonly settings: ChunkTextIndexSettings;

  constructor(
    private readonly database: Database.Database,
    settings: Partial<ChunkTextIndexSettings> = {},
  ) {
    this.settings = { scoredRowBudget, rescoredCandidates, ...settings };
  }

  /** Creates the collection's tables (no-op when they exist). */
  create(scope: CollectionScope): void {
    this.database.prepare('INSERT INTO search_indexes (tenant, collection) VALUES (?, ?) ON CONFLICT DO NOTHING').run(scope.tenant, scope.collection);
    const table = this.table(scope, true)!;
    this.database.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING fts5 (heading, text, filters, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
       CREATE VIRTUAL TABLE IF NOT EXISTS ${table}_terms USING fts5vocab (${table}, 'row');`,
    );
  }

  drop(scope: CollectionScope): void {
    const table = this.table(scope, true);
    this.tables.delete(key(scope));
    if (!table) return;
    this.rows.delete(table);
    for (const sql of this.statements.keys()) if (sql.includes(` ${table} `)) this.statements.delete(sql);
    this.database.exec(`DROP TABLE IF EXISTS ${table}_terms; DROP TABLE IF EXISTS ${table};`);
    this.database.prepare('DELETE FROM search_indexes WHERE tenant = ? AND collection = ?').run(scope.tenant, scope.collection);
  }

  add(scope: CollectionScope, label: number, heading: string | null, text: string, filters: string): void {
    const table = this.required(scope);
    this.statement(`INSERT INTO ${table} (rowid, heading, text, filters) VALUES (?, ?, ?, ?)`).run(label, heading ?? '', text, filters);
    const rows = this.rows.get(table);
    if (rows !== undefined) this.rows.set(table, rows + 1);
  }

  remove(scope: CollectionScope, label: number): void {
    const table = this.required(scope);
    const changes = this.statement(`DELETE FROM ${table} WHERE rowid = ?`).run(label).changes;
    const rows = this.rows.get(table);
    if (rows !== undefined) this.rows.set(table, rows - changes);
  }

  /** New filter terms of a kept chunk (its words are unchanged). */
  refilter(scope: CollectionScope, label: number, heading: string | null, text: string, filters: string): void {
    this.remove(scope, label);
    this.add(scope, label, heading, text, filters);
  }

  /**
   * Labels of at most `k` chunks holding any of `terms`, best BM25 first, among those whose
   * access-tag set is visible and whose metadata has every `metadata` value. `access` lists the
   * collection's tag-set terms split by visibility; the MATCH names whichever side holds fewer
   * chunks (nothing when every set is visible), since BM25 reads every row of each term it names.
   */
  search(scope: CollectionScope, terms: readonly string[], access: { visible: readonly string[]; hidden: readonly string[] }, metadata: DocumentMetadata, k: number): TextMatch[] {
    const table = this.table(scope, false);
    if (!table || access.visible.length === 0 || terms.length === 0 || k <= 0) return [];
    const { words, common, counts } = this.affordable(table, terms);
    if (words.length === 0) return [];
    let match = `{heading text} : (${words.map((word) => `"${word}"`).join(' OR ')})`;
    const required = Object.entries(metadata).map(([field, value]) => metadataTerm(field, value));
    if (access.hidden.length > 0) {
      const counts = this.documentCounts(table, [...access.visible, ...access.hidden]);
      const rows = (sets: readonly string[]) => sets.reduce((sum, term) => sum + (counts.get(term) ?? 0), 0);
      if (rows(access.visible) <= rows(access.hidden)) required.push(`(${access.visible.join(' OR ')})`);
      else match = `(${match}) NOT filters : (${access.hidden.join(' OR ')})`;
    }
    if (required.length > 0) match = `filters : (${required.join(' AND ')}) AND ${match}`;
    // Even the rarest word is in more rows than the budget: FTS5 would score them all, so take
    // the first rows holding it unranked and score every word on those (a query of common words
    // only ranks poorly at any cost; this bounds the cost).
    const unranked = counts.get(words[0]!)! > this.settings.scoredRowBudget;
    const rescored = unranked ? [...words, ...common] : common;
    const matches = this.database
      .prepare(
        unranked
          ? `SELECT rowid AS label, 0 AS score FROM ${table} WHERE ${table} MATCH ? LIMIT ?`
          : `SELECT rowid AS label, -${ranking(table)} AS score FROM ${table} WHERE ${table} MATCH ? ORDER BY score DESC LIMIT ?`,
      )
      .all(match, rescored.length === 0 ? k : Math.max(k, this.settings.rescoredCandidates)) as TextMatch[];
    if (rescored.length === 0 || matches.length === 0) return matches;
    const texts = this.database
      .prepare('SELECT label, heading, text FROM chunks WHERE label IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(matches.map((match) => match.label))) as Array<{ label: number; heading: string | null; text: string }>;
    const score = new CommonWordScore(
      rescored.map((word) => ({ word, documents: counts.get(word)! })),
      this.rowCount(table),
      texts,
    );
    for (const match of matches) match.score += score.of(match.label);
    return matches.sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** Prepared once per table and kept (ingest writes one row per chunk). */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.database.prepare(sql)));
    return statement;
  }

  private rowCount(table: string): number {
    let rows = this.rows.get(table);
    if (rows === undefined) {
      rows = this.database.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      this.rows.set(table, rows);
    }
    return rows;
  }

  /** The query's words that fit `scoredRowBudget` (rarest first) and the commoner rest; words the collection lacks are left out. */
  private affordable(table: string, terms: readonly string[]): { words: string[]; common: string[]; counts: Map<string, number> } {
    const folded = [...new Set(terms.map((term) => term.normalize('NFD').replace(/\p{M}+/gu, '')))];
    const counts = this.documentCounts(table, folded);
    const known = folded.filter((term) => counts.has(term)).sort((a, b) => counts.get(a)! - counts.get(b)!);
    const kept: string[] = [];
    let rows = 0;
    for (const term of known) {
      const count = counts.get(term)!;
      if (kept.length > 0 && rows + count > this.settings.scoredRowBudget) break;
      kept.push(term);
      rows += count;
    }
    return { words: kept, common: known.slice(kept.length), counts };
  }

  private documentCounts(table: string, terms: readonly string[]): Map<string, number> {
    const rows = this.database.prepare(`SELECT term, doc FROM ${table}_terms WHERE term IN (SELECT value FROM json_each(?))`).all(JSON.stringify(terms)) as Array<{
      term: string;
      doc: number;
    }>;
    return new Map(rows.map((row) => [row.term, row.doc]));
  }

  private required(scope: CollectionScope): string {
    const table = this.table(scope, false);
    if (!table) throw new Error(`no text index for collection ${scope.collection}`);
    return table;
  }

  /** The table's name from its id (never from the tenant or collection name), cached. */
  private table(scope: CollectionScope, fresh: boolean): string | null {
    const cached = this.tables.get(key(scope));
    if (cached !== undefined && !fresh) return cached;
    const id = this.database.prepare('SELECT id FROM search_indexes WHERE tenant = ? AND collection = ?').pluck().get(scope.tenant, scope.collection) as number | undefined;
    const table = id === undefined ? null : `chunk_search_${id}`;
    if (table) this.tables.set(key(scope), table);
    return table;
  }
}

function key(scope: CollectionScope): string {
  return `${scope.tenant}\0${scope.collection}`;
}
