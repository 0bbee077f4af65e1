-- Strangler routes (core/ports/strangler-store.ts): the ledger of every decision (requests,
-- rollbacks, resumes) and each route's shared state. The rollback window is counted from the
-- ledger's AI attempts after the route's window_from. Times are epoch ms.
CREATE TABLE strangler_decisions (
  id bigserial PRIMARY KEY,
  at bigint NOT NULL,
  route text NOT NULL,
  request_id text NOT NULL,
  event text NOT NULL,
  tenant text,
  key_id text,
  side text,
  reason text NOT NULL,
  failure text,
  ai_attempted boolean NOT NULL,
  ai_failed boolean NOT NULL,
  prompt_name text,
  prompt_version bigint,
  legacy_status bigint,
  latency_ms double precision,
  failure_rate double precision,
  window_requests bigint,
  actor text
);
CREATE INDEX strangler_decisions_by_route ON strangler_decisions (route, at);
CREATE INDEX strangler_decisions_by_time ON strangler_decisions (at);
CREATE TABLE strangler_state (
  route text PRIMARY KEY,
  rolled_back_at bigint,
  failure_rate double precision,
  requests bigint,
  window_from bigint NOT NULL
);
