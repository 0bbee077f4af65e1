-- Strangler routes (core/ports/strangler-store.ts): the ledger of every decision (requests,
-- rollbacks, resumes) and each route's shared state. The rollback window is counted from the
-- ledger's AI attempts after the route's window_from. Times are epoch ms.
CREATE TABLE strangler_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  route TEXT NOT NULL,
  request_id TEXT NOT NULL,
  event TEXT NOT NULL,
  tenant TEXT,
  key_id TEXT,
  side TEXT,
  reason TEXT NOT NULL,
  failure TEXT,
  ai_attempted INTEGER NOT NULL,
  ai_failed INTEGER NOT NULL,
  prompt_name TEXT,
  prompt_version INTEGER,
  legacy_status INTEGER,
  latency_ms REAL,
  failure_rate REAL,
  window_requests INTEGER,
  actor TEXT
);
CREATE INDEX strangler_decisions_by_route ON strangler_decisions (route, at);
CREATE INDEX strangler_decisions_by_time ON strangler_decisions (at);
CREATE TABLE strangler_state (
  route TEXT PRIMARY KEY,
  rolled_back_at INTEGER,
  failure_rate REAL,
  requests INTEGER,
  window_from INTEGER NOT NULL
);
