-- Workflow runs, their append-only journals and approval requests (src/core/workflows).
CREATE TABLE workflow_runs (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  key_id TEXT NOT NULL,
  workflow TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  context TEXT NOT NULL,
  status TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  budget_spent_nanos BIGINT NOT NULL DEFAULT 0,
  error TEXT,
  webhook_url TEXT,
  idempotency_key TEXT,
  request_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE UNIQUE INDEX workflow_runs_idempotency ON workflow_runs (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX workflow_runs_by_tenant ON workflow_runs (tenant, created_at DESC, id DESC);
CREATE INDEX workflow_runs_open ON workflow_runs (updated_at) WHERE status IN ('queued', 'running');
CREATE INDEX workflow_runs_finished ON workflow_runs (finished_at) WHERE finished_at IS NOT NULL;

-- The primary key is the fencing: a step is written once per (run_id, seq).
CREATE TABLE workflow_journal (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  input TEXT,
  output TEXT,
  actor TEXT,
  at BIGINT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE workflow_approvals (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  tenant TEXT NOT NULL,
  workflow TEXT NOT NULL,
  seq INTEGER NOT NULL,
  state TEXT NOT NULL,
  tool TEXT NOT NULL,
  args TEXT,
  status TEXT NOT NULL,
  decided_by TEXT,
  reason TEXT,
  edited_args TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  decided_at BIGINT
);
CREATE INDEX workflow_approvals_by_tenant ON workflow_approvals (tenant, created_at DESC, id DESC);
CREATE INDEX workflow_approvals_by_run ON workflow_approvals (run_id);
CREATE INDEX workflow_approvals_expiry ON workflow_approvals (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;
