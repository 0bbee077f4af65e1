-- Webhook deliveries are claimed before they are sent: the dispatcher that claimed a row
-- (claimed_by, one value per claim) holds it until lease_until (epoch ms), so two worker
-- nodes never send the same delivery at once, and only the holder may record the attempt.
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by text;
ALTER TABLE webhook_deliveries ADD COLUMN lease_until bigint;
