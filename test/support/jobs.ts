import type { TestApp } from './test-app.js';
import { bearer } from './test-app.js';

export interface StreamedEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** Parses a job's SSE stream (`id:`, `event:`, `data:` fields) into events. */
export function parseJobEvents(body: string): StreamedEvent[] {
  return body
    .split('\n\n')
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(': ');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
      }
      return fields;
    })
    .filter((fields) => fields.has('data') && fields.has('id'))
    .map((fields) => ({ id: Number(fields.get('id')), event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data')!) as Record<string, unknown> }));
}

/**
 * Follows a job's event stream until the job ends (the stream closes then), and returns the
 * events and the final job: awaiting the job's own end instead of polling or sleeping.
 */
export async function untilJobEnds(test: TestApp, key: string, id: string, lastEventId?: number) {
  const stream = await test.server.inject({
    method: 'GET',
    url: `/v1/jobs/${id}/events`,
    headers: { ...bearer(key), ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }) },
  });
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it checks, of every job shape
  const job = (await test.server.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: bearer(key) })).json() as Record<string, any>;
  return { events: parseJobEvents(stream.body), job, status: stream.statusCode };
}

export async function submitJob(test: TestApp, key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return test.server.inject({ method: 'POST', url: '/v1/jobs', headers: { ...bearer(key), ...headers }, payload: body });
}
