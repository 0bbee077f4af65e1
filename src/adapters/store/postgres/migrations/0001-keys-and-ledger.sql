-- 0001: virtual keys and the usage ledger (PostgreSQL; same shape as the SQLite 0001).
-- virtual_keys: one row per virtual key; the secret is stored only as its SHA-256 hex hash.
-- usage: one compact row per request; money in nano-dollars (bigint) to avoid float drift.
-- Times are epoch milliseconds (bigint). Ids and grouping keys use the "C" collation so that
-- ordering and cursor comparisons are byte order, as in SQLite, whatever the server locale.
CREATE TABLE virtual_keys (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  tenant text NOT NULL,
  allowed_models jsonb,               -- array of aliases, NULL = all aliases
  rpm integer,
  tpm integer,
  budget_usd double precision,
  budget_period text,                 -- day | month | total
  tags jsonb NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  revoked_at bigint
);

CREATE TABLE usage (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ts bigint NOT NULL,
  request_id text NOT NULL,
  key_id text COLLATE "C",
  alias text COLLATE "C" NOT NULL,
  deployment text,
  operation smallint NOT NULL,        -- 0 chat, 1 embeddings
  input_tokens integer NOT NULL,
  output_tokens integer NOT NULL,
  cost_nanos bigint NOT NULL,
  latency_ms double precision NOT NULL,
  overhead_ms double precision NOT NULL,
  status smallint NOT NULL,
  cache smallint NOT NULL,            -- 0 miss, 1 hit, 2 bypass
  error_code text
);
CREATE INDEX usage_ts ON usage (ts);
CREATE INDEX usage_key_ts ON usage (key_id, ts);
