-- The cost-aware router's decision and the request's PII detections, per ledger row.
-- cache gains 3 = semantic hit. pii holds counts by type ({"EMAIL":1}), never values.
ALTER TABLE usage ADD COLUMN route_tier text;
ALTER TABLE usage ADD COLUMN route_reason text;
ALTER TABLE usage ADD COLUMN pii jsonb;
-- A key's own PII policy (off, log, redact, mask, block); NULL follows the model's policy.
ALTER TABLE virtual_keys ADD COLUMN pii_policy text;
