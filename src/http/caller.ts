import type { VirtualKey } from '../core/ports/store.js';

/**
 * Who may call a route, declared on the route itself (`config: { access }`):
 * - `public`: anyone (liveness, readiness);
 * - `metrics`: anyone, or only the holder of `metrics.token` when one is set;
 * - `admin`: the admin token only;
 * - `key`: a virtual key (its tenant scopes what the route sees);
 * - `admin-or-key`: the admin token (every tenant) or a virtual key (its own).
 */
export type Access = 'public' | 'metrics' | 'admin' | 'key' | 'admin-or-key';

/** The authenticated caller of a request, set before its body is read. */
export type Caller = { kind: 'anonymous' } | { kind: 'admin' } | { kind: 'key'; key: VirtualKey };
