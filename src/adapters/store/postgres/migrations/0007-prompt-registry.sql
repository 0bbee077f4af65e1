-- The prompt registry (core/ports/prompt-registry.ts): immutable versions per (scope, name),
-- labels pointing at one version each, and the audit trail of pushes and label moves.
-- A version's content is JSON (messages, variables, model, parameters, response schema,
-- description); the same content pushed twice is found by its sha256 and not stored again.
-- Label moves NOTIFY channel breakwater_prompt_labels (payload: JSON {scope, name}) in their
-- transaction, so every node drops its cached label as the move commits.
-- The ledger names the registry prompt version each request was served with.
CREATE TABLE prompt_versions (
  scope text NOT NULL,
  name text NOT NULL,
  version integer NOT NULL,
  sha256 text NOT NULL,
  content jsonb NOT NULL,
  created_by text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (scope, name, version),
  UNIQUE (scope, name, sha256)
);

CREATE TABLE prompt_labels (
  scope text NOT NULL,
  name text NOT NULL,
  label text NOT NULL,
  version integer NOT NULL,
  moved_by text NOT NULL,
  moved_at bigint NOT NULL,
  PRIMARY KEY (scope, name, label),
  FOREIGN KEY (scope, name, version) REFERENCES prompt_versions (scope, name, version)
);

CREATE TABLE prompt_audit (
  id bigserial PRIMARY KEY,
  scope text NOT NULL,
  name text NOT NULL,
  action text NOT NULL,
  label text,
  from_version integer,
  to_version integer NOT NULL,
  actor text NOT NULL,
  at bigint NOT NULL
);
CREATE INDEX prompt_audit_by_name ON prompt_audit (scope, name, id);

ALTER TABLE usage ADD COLUMN prompt_name text;
ALTER TABLE usage ADD COLUMN prompt_version integer;
