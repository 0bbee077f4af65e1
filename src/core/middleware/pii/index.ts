import { BreakwaterError } from '../../errors/breakwater-error.js';
import type { CallContext, CallOutcome, ModelMiddleware } from '../../gateway/call-context.js';
import type { PiiCounts } from '../../pii/pii-type.js';
import { TextScrubber, scrubChatRequest, throwIfBlocked, type PiiPolicy } from '../../pii/scrubber.js';
import { PlaceholderVault } from '../../pii/placeholder-vault.js';
import { restoreCompletion, restoreStream } from './restore-outcome.js';

export interface PiiOptions {
  /** The policy of this call's key or route; undefined leaves the call alone. */
  policyFor(context: CallContext): PiiPolicy | undefined;
  /** Audit hook: called once per scanned request that had detections, with counts by type (never values). */
  onDetections?(counts: PiiCounts, context: CallContext): void;
}

/**
 * Finds personal data in what is sent upstream and applies the key's policy (see PiiPolicy).
 * With `redact`, placeholders in the answer — completion text, tool-call arguments, and stream
 * deltas even when a placeholder is split across chunks — get their values back, so the
 * client sees its own data and the provider never does. The placeholder map lives in this
 * closure for the one call.
 *
 * Embeddings: inputs are scanned too, but a vector cannot be restored, so `redact` works like
 * `mask` there (`[EMAIL]`); `block` and `log` behave as for chat. Token-array inputs are not scanned.
 *
 * Place it inside (after) the exact and semantic caches: a cache outside would key on the
 * scrubbed request but store the restored answer, and serve one user's data to another whose
 * request scrubs to the same placeholders.
 */
export function pii(options: PiiOptions): ModelMiddleware {
  return async (context, next) => {
    const policy = options.policyFor(context);
    if (!policy) return next();
    const input = context.input;
    if (input.operation === 'embeddings') {
      await scrubEmbeddings(context, input.request, policy, options);
      return next();
    }
    let scrubbed: Awaited<ReturnType<typeof scrubChatRequest>>;
    try {
      scrubbed = await scrubChatRequest(input.request, policy);
    } catch (error) {
      // A blocked request is still audited: the ledger and telemetry see what was found.
      if (BreakwaterError.isInstance(error) && error.code === 'PII_BLOCKED') record(context, error.details.detections as PiiCounts, options);
      throw error;
    }
    record(context, scrubbed.counts, options);
    // The request object is shared with the other middleware and the provider call: its
    // messages are replaced in place (the input itself is readonly).
    if (scrubbed.request !== input.request) input.request.messages.splice(0, input.request.messages.length, ...scrubbed.request.messages);
    const outcome = await next();
    if (policy.mode !== 'redact' || scrubbed.vault.size === 0) return outcome;
    return restoreOutcome(outcome, scrubbed.vault);
  };
}

async function restoreOutcome(outcome: CallOutcome, vault: PlaceholderVault): Promise<CallOutcome> {
  if (outcome.kind === 'completion') return { kind: 'completion', completion: await restoreCompletion(outcome.completion, vault) };
  if (outcome.kind === 'stream') return { kind: 'stream', chunks: restoreStream(outcome.chunks, vault) };
  return outcome;
}

async function scrubEmbeddings(context: CallContext, request: { input: unknown }, policy: PiiPolicy, options: PiiOptions): Promise<void> {
  const scrubber = new TextScrubber(policy.mode === 'redact' ? { ...policy, mode: 'mask' } : policy, new PlaceholderVault());
  const texts =
    typeof request.input === 'string'
      ? [request.input]
      : Array.isArray(request.input) && request.input.every((item) => typeof item === 'string')
        ? (request.input as string[])
        : [];
  const names = await scrubber.namesByNlp(texts);
  const scrubbed: string[] = [];
  for (const [index, text] of texts.entries()) scrubbed.push(await scrubber.scrub(text, names[index]));
  if (typeof request.input === 'string') request.input = scrubbed[0];
  else if (texts.length > 0) request.input = scrubbed;
  record(context, scrubber.counts, options);
  throwIfBlocked(policy, scrubber.counts);
}

function record(context: CallContext, counts: PiiCounts, options: PiiOptions): void {
  context.pii = { ...counts };
  if (Object.keys(counts).length > 0) options.onDetections?.(counts, context);
}
