-- The W3C trace context (JSON {traceparent, tracestate?}) of the work that wrote a webhook
-- delivery (the job's trace): the dispatcher sends each attempt in a span of that trace and
-- passes it on as the `traceparent` header. Null when tracing was off.
ALTER TABLE webhook_deliveries ADD COLUMN trace_context text;
