-- Webhook deliveries are claimed before they are sent: the dispatcher that claimed a row
-- (claimed_by, one value per claim) holds it until lease_until (epoch ms), and only the
-- holder may record the attempt. The same columns and rules as the PostgreSQL store.
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_deliveries ADD COLUMN lease_until INTEGER;
