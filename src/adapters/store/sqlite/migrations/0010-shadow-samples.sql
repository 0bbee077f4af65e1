-- Shadow samples (core/ports/shadow-store.ts): one row per candidate run beside a primary
-- call. `fields` is JSON {path: agreed}; `example` JSON {primary, candidate} with personal
-- data masked, only on a disagreement. Costs are nano-dollars, times epoch ms.
CREATE TABLE shadow_samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  shadow TEXT NOT NULL,
  tenant TEXT NOT NULL,
  request_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  fields TEXT,
  similarity REAL,
  length_ratio REAL,
  primary_latency_ms REAL NOT NULL,
  candidate_latency_ms REAL,
  primary_cost_nanos INTEGER NOT NULL,
  candidate_cost_nanos INTEGER,
  example TEXT,
  error_code TEXT
);
CREATE INDEX shadow_samples_by_shadow ON shadow_samples (shadow, id);
CREATE INDEX shadow_samples_by_time ON shadow_samples (at);
