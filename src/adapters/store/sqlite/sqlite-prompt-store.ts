import type Database from 'better-sqlite3';
import type { PromptRegistration, PromptStore } from '../../../core/ports/prompt-store.js';
import type { GroupCommit } from './group-commit.js';

/** Prompt versions in the embedded file; the check and the insert run in one group-commit write. */
export class SqlitePromptStore implements PromptStore {
  private readonly s;

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      get: database.prepare(`SELECT sha256 FROM prompts WHERE pipeline = ? AND version = ?`).pluck(),
      insert: database.prepare(`INSERT INTO prompts (pipeline, version, sha256, template, created_at) VALUES (?, ?, ?, ?, ?)`),
    };
  }

  register(pipeline: string, version: number, sha256: string, template: string, at: number): Promise<PromptRegistration> {
    return this.writes.run(() => {
      const existing = this.s.get.get(pipeline, version) as string | undefined;
      if (existing === undefined) {
        this.s.insert.run(pipeline, version, sha256, template, at);
        return 'created';
      }
      return existing === sha256 ? 'exists' : 'conflict';
    });
  }
}
