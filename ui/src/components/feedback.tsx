import type { ReactNode } from 'react';
import { ApiError } from '../api';

/** An error from the API, announced to screen readers, with its stable code. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="alert alert-error">
      {message}
      {error instanceof ApiError ? <code className="code-tag">{error.code}</code> : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="alert alert-info" role="status">
      {children}
    </p>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

const statusTone: Record<string, string> = {
  succeeded: 'good',
  delivered: 'good',
  approved: 'good',
  running: 'busy',
  pending: 'busy',
  queued: 'neutral',
  failed: 'bad',
  rejected: 'bad',
  expired: 'bad',
  cancelled: 'neutral',
};

export function StatusBadge({ status, tone }: { status: string; tone?: 'good' | 'bad' | 'busy' | 'neutral' }) {
  return <span className={`badge badge-${tone ?? statusTone[status] ?? 'neutral'}`}>{status}</span>;
}

/** Unix seconds as local date and time, in a <time> element. */
export function Time({ seconds }: { seconds: number | null | undefined }) {
  if (seconds === null || seconds === undefined) return <span>—</span>;
  const date = new Date(seconds * 1000);
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}
