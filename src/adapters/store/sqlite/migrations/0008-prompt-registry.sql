-- The prompt registry (core/ports/prompt-registry.ts): immutable versions per (scope, name),
-- labels pointing at one version each, and the audit trail of pushes and label moves.
-- A version's content is JSON (messages, variables, model, parameters, response schema,
-- description); the same content pushed twice is found by its sha256 and not stored again.
-- The ledger names the registry prompt version each request was served with.
CREATE TABLE prompt_versions (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, name, version),
  UNIQUE (scope, name, sha256)
);

CREATE TABLE prompt_labels (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  moved_by TEXT NOT NULL,
  moved_at INTEGER NOT NULL,
  PRIMARY KEY (scope, name, label),
  FOREIGN KEY (scope, name, version) REFERENCES prompt_versions (scope, name, version)
);

CREATE TABLE prompt_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  action TEXT NOT NULL,
  label TEXT,
  from_version INTEGER,
  to_version INTEGER NOT NULL,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX prompt_audit_by_name ON prompt_audit (scope, name, id);

ALTER TABLE usage ADD COLUMN prompt_name TEXT;
ALTER TABLE usage ADD COLUMN prompt_version INTEGER;
