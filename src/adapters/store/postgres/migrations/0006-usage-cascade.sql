-- A structured call's cascade, per ledger row (middleware/cascade): 0 = the first tier's answer
-- held, 1 = escalated to the dearer tier after a schema failure, NULL = no cascade. An escalated
-- row's cost_nanos includes both attempts; cascade_first_cost_nanos is the discarded first one.
ALTER TABLE usage ADD COLUMN cascade smallint;
ALTER TABLE usage ADD COLUMN cascade_first_cost_nanos bigint;
