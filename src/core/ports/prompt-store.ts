/** What registering a prompt version found: a new version, the same text again, or other text under that version. */
export type PromptRegistration = 'created' | 'exists' | 'conflict';

/**
 * The prompt versions pipelines ran with (the store's prompts domain). A record names the
 * prompt version that made it, so a version's text may never change once registered: the
 * registry refuses other text under a known version.
 */
export interface PromptStore {
  /** Registers a pipeline's prompt version by its SHA-256; 'conflict' when that version exists with other text. */
  register(pipeline: string, version: number, sha256: string, template: string, at: number): Promise<PromptRegistration>;
}
