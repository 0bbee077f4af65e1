-- Jobs, their events and inputs, the embedded queue, pipeline records, webhook outbox, prompts.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  key_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  pipeline TEXT,
  status TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  source TEXT,
  webhook_url TEXT,
  idempotency_key TEXT,
  request_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  token INTEGER NOT NULL DEFAULT 0,
  step TEXT,
  result TEXT,
  error TEXT,
  metadata TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  run_at INTEGER NOT NULL,
  deadline INTEGER
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_by_tenant ON jobs (tenant, created_at DESC, id DESC);
CREATE INDEX jobs_open ON jobs (status, tenant) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE job_inputs (
  job_id TEXT PRIMARY KEY,
  body BLOB NOT NULL
);

CREATE TABLE job_events (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

-- The embedded queue: a waiting item has lease_until NULL; a claimed one holds its lease.
CREATE TABLE queue_items (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  priority INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  deadline INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  token INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER
);
CREATE INDEX queue_waiting ON queue_items (priority DESC, run_at, id) WHERE lease_until IS NULL;
CREATE INDEX queue_leased ON queue_items (lease_until) WHERE lease_until IS NOT NULL;
CREATE INDEX queue_deadlines ON queue_items (deadline) WHERE deadline IS NOT NULL AND lease_until IS NULL;

CREATE TABLE queue_dead (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);

CREATE TABLE records (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL UNIQUE,
  tenant TEXT NOT NULL,
  pipeline TEXT NOT NULL,
  prompt_version INTEGER NOT NULL,
  model TEXT NOT NULL,
  deployment TEXT,
  attempts INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  source TEXT,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX records_by_pipeline ON records (tenant, pipeline, created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL,
  tenant TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_by_job ON webhook_deliveries (job_id);

CREATE TABLE prompts (
  pipeline TEXT NOT NULL,
  version INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  template TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (pipeline, version)
);
