-- 0001: virtual keys and the usage ledger.
-- keys: one row per virtual key; the secret is stored only as its SHA-256 hex hash.
-- usage: one compact row per request; money in nano-dollars (integer) to avoid float drift.
CREATE TABLE virtual_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  tenant TEXT NOT NULL,
  allowed_models TEXT,          -- JSON array, NULL = all aliases
  rpm INTEGER,
  tpm INTEGER,
  budget_usd REAL,
  budget_period TEXT,           -- day | month | total
  tags TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE usage (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  key_id TEXT,
  alias TEXT NOT NULL,
  deployment TEXT,
  operation INTEGER NOT NULL,   -- 0 chat, 1 embeddings
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  overhead_ms REAL NOT NULL,
  status INTEGER NOT NULL,
  cache INTEGER NOT NULL,       -- 0 miss, 1 hit, 2 bypass
  error_code TEXT
);
CREATE INDEX usage_ts ON usage (ts);
CREATE INDEX usage_key_ts ON usage (key_id, ts);
