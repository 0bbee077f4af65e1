-- 0002: jobs, their inputs and events, pipeline records, webhook deliveries, prompts, and the
-- dispatch outbox (PostgreSQL; same shape as the SQLite 0002 except the queue).
-- The queue itself is a broker (RabbitMQ): createJob writes a dispatch_outbox row in the
-- job's transaction, and relays on any API node claim unsent rows (claimed_until is their
-- lease), publish them and set sent_at. Times are epoch milliseconds (bigint).
CREATE TABLE jobs (
  id text COLLATE "C" PRIMARY KEY,
  tenant text COLLATE "C" NOT NULL,
  key_id text NOT NULL,
  kind text NOT NULL,
  pipeline text,
  status text NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  source text,
  webhook_url text,
  idempotency_key text,
  request_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  token bigint NOT NULL DEFAULT 0,
  step text,
  result jsonb,
  error jsonb,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  started_at bigint,
  finished_at bigint,
  run_at bigint NOT NULL,
  deadline bigint,
  event_seq integer NOT NULL DEFAULT 0  -- seq of the job's latest event, handed out by the UPDATE that makes a change
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_by_tenant ON jobs (tenant, created_at DESC, id DESC);
CREATE INDEX jobs_open ON jobs (status, tenant) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE job_inputs (
  job_id text COLLATE "C" PRIMARY KEY,
  body bytea NOT NULL
);

-- seq counts from 1 per job; taken from jobs.event_seq by the transition's own UPDATE, under its row lock.
CREATE TABLE job_events (
  job_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (job_id, seq)
);

CREATE TABLE dispatch_outbox (
  id text COLLATE "C" PRIMARY KEY,    -- the job id
  tenant text NOT NULL,
  priority integer,                   -- NULL when the dispatch left it to the queue's default
  run_at bigint,
  deadline bigint,
  max_attempts integer NOT NULL,
  created_at bigint NOT NULL,
  claimed_until bigint,               -- lease of the relay that claimed it, in database time
  sent_at bigint
);
CREATE INDEX dispatch_unsent ON dispatch_outbox (created_at, id) WHERE sent_at IS NULL;
CREATE INDEX dispatch_sent ON dispatch_outbox (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE records (
  id text COLLATE "C" PRIMARY KEY,
  job_id text COLLATE "C" NOT NULL UNIQUE,
  tenant text NOT NULL,
  pipeline text NOT NULL,
  prompt_version integer NOT NULL,
  model text NOT NULL,
  deployment text,
  attempts integer NOT NULL,
  input_tokens integer NOT NULL,
  output_tokens integer NOT NULL,
  cost_nanos bigint NOT NULL,
  source text,
  data jsonb NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX records_by_pipeline ON records (tenant, pipeline, created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
  id text COLLATE "C" PRIMARY KEY,
  job_id text COLLATE "C" NOT NULL,
  tenant text NOT NULL,
  url text NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint,
  last_status integer,
  last_error text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX webhook_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_by_job ON webhook_deliveries (job_id);

CREATE TABLE prompts (
  pipeline text NOT NULL,
  version integer NOT NULL,
  sha256 text NOT NULL,
  template text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (pipeline, version)
);
