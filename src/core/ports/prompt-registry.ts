/**
 * The prompt registry (the store's prompt-registry domain): immutable versions of named
 * prompts, movable labels that point at one version each, and an audit trail of every label
 * move. Versions are never changed nor deleted once pushed; a label move and its audit entry
 * commit together.
 *
 * Every name lives in a scope: a tenant's own prompts (`tenant:<tenant>`), or the shared
 * scope (`shared`) that the admin token writes and every tenant (and every pipeline) reads.
 */

/** The scope of prompts every tenant reads and only the admin token writes. */
export const sharedScope = 'shared';

/** The scope of one tenant's own prompts (a prefix, so no tenant name can be the shared scope). */
export function tenantScope(tenant: string): string {
  return `tenant:${tenant}`;
}

/** A variable a prompt's template declares, with the type a request's value must have. */
export type PromptVariableType = 'string' | 'number' | 'integer' | 'boolean' | 'json';

export interface PromptVariable {
  type: PromptVariableType;
  /** Absent from a request: the default is used, or the request is refused when there is none. */
  required: boolean;
  default?: unknown;
  /** Allowed values (strings only). */
  enum?: string[];
  /** Longest string accepted (default: no limit beyond the body limit). */
  maxLength?: number;
  description?: string;
}

/** A message template: `{{name}}` placeholders are replaced by the request's variables. */
export interface PromptMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string;
}

/** What a push supplies; the registry numbers it. */
export interface NewPromptVersion {
  scope: string;
  name: string;
  messages: PromptMessage[];
  variables: Record<string, PromptVariable>;
  /** The model alias the prompt was written for; a request's own `model` overrides it. */
  model: string | null;
  /** Chat parameters (temperature, max_tokens, …) sent unless the request sets its own. */
  parameters: Record<string, unknown>;
  /** JSON Schema the answer must follow (sent as `response_format: json_schema`). */
  responseSchema: Record<string, unknown> | null;
  description: string;
  /** SHA-256 of the canonical content: pushing the same content again returns the existing version. */
  sha256: string;
  createdBy: string;
  createdAt: number;
}

export interface PromptVersion extends NewPromptVersion {
  /** 1, 2, 3… per name within a scope. */
  version: number;
}

export interface PromptLabel {
  label: string;
  version: number;
  movedBy: string;
  movedAt: number;
}

export interface PromptSummary {
  scope: string;
  name: string;
  latestVersion: number;
  labels: Record<string, number>;
  updatedAt: number;
}

export type PromptAuditAction = 'push' | 'label' | 'rollback';

/** One audited change: a push (from null), a label move or a rollback (from → to). */
export interface PromptAuditEntry {
  scope: string;
  name: string;
  action: PromptAuditAction;
  /** The label moved; null for a push. */
  label: string | null;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  at: number;
}

export interface LabelMove {
  scope: string;
  name: string;
  label: string;
  /** The version to point at; for a rollback, ignored: the version before the last move is used. */
  toVersion: number | null;
  action: 'label' | 'rollback';
  actor: string;
  at: number;
}

export type LabelMoveResult =
  | { ok: true; fromVersion: number | null; toVersion: number }
  /** `no-version`: the target version does not exist; `no-history`: nothing to roll back to. */
  | { ok: false; reason: 'no-version' | 'no-history' };

/** A label of a name moved, or the name got its first version, on some node. */
export interface LabelChange {
  scope: string;
  name: string;
}

export interface PromptRegistryStore {
  /** Numbers and stores a version; the same content as an existing version of that name returns that one (`created: false`). */
  push(version: NewPromptVersion): Promise<{ version: PromptVersion; created: boolean }>;
  getVersion(scope: string, name: string, version: number): Promise<PromptVersion | undefined>;
  /** Newest first. */
  listVersions(scope: string, name: string): Promise<PromptVersion[]>;
  listPrompts(scope: string): Promise<PromptSummary[]>;
  /** Every label of a name, read from the store (never a cache). */
  labels(scope: string, name: string): Promise<PromptLabel[]>;
  /** Moves a label (or rolls it back) and writes its audit entry in one transaction. */
  moveLabel(move: LabelMove): Promise<LabelMoveResult>;
  /** Newest first, at most `limit`. */
  audit(scope: string, name: string, limit: number): Promise<PromptAuditEntry[]>;
  /**
   * Calls `listener` when a label moved, or a name got its first version, on any node sharing
   * this store (this one included), after the change committed; with `null` when changes may have been missed (the feed
   * reconnected), so a cache drops everything. Returns an unsubscribe function.
   */
  watchLabels(listener: (change: LabelChange | null) => void): () => void;
}
