import type { Page } from './page.js';
import type { RecordProvenance } from './record-sink.js';

/** A validated pipeline record with its provenance, for the `store` sink. */
export type StoredRecord = RecordProvenance & {
  id: string;
  data: Record<string, unknown>;
};

/**
 * Pipeline records kept in the store (the store's records domain). A record is written only
 * by the transition that completes its job (`JobStore.completeJob`), in the same transaction,
 * so a record exists exactly when its job succeeded with one; this port reads them. Records
 * outlive their jobs: retention deletes ended jobs, never records.
 */
export interface RecordStore {
  /** A tenant's records of one pipeline, newest first. */
  list(tenant: string, pipeline: string, cursor: string | undefined, limit: number): Promise<Page<StoredRecord>>;
  /** The record a job wrote, if it did. */
  getByJob(jobId: string): Promise<StoredRecord | undefined>;
}
