/**
 * The ground truth of bench:shadow: which fields the candidate gets wrong, decided per
 * (ticket, field) by a hash, so the bench knows the true agreement without asking the shadow.
 */
import { createHash } from 'node:crypto';

export const fieldCount = 10;
/** Share of fields the candidate gets wrong. */
export const disagreementRate = 0.15;

function uniform(n: number, field: number): number {
  return createHash('sha256').update(`${n}:${field}`).digest().readUInt32BE(0) / 2 ** 32;
}

export function candidateWrong(n: number, field: number): boolean {
  return uniform(n, field) < disagreementRate;
}

/** Even fields are numbers, odd ones strings. */
export function primaryRecord(n: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let field = 0; field < fieldCount; field++) record[`f${field}`] = field % 2 === 0 ? Math.round(n * 7.31 + field * 100) / 100 : `Value ${n}-${field} Ltd`;
  return record;
}

export function candidateRecord(n: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(primaryRecord(n))) {
    const field = Number(name.slice(1));
    if (candidateWrong(n, field)) record[name] = typeof value === 'number' ? value + 1 : `${value} (other)`;
    // Agreeing fields in another spelling: within the 0.01 tolerance, or equal once normalised.
    else record[name] = typeof value === 'number' ? value + 0.004 : `  ${String(value).toUpperCase()} `;
  }
  return record;
}

/** Agreeing fields over all fields, for these tickets. */
export function trueAgreement(tickets: Iterable<number>): number {
  let agreed = 0;
  let total = 0;
  for (const n of tickets) {
    for (let field = 0; field < fieldCount; field++) {
      total++;
      if (!candidateWrong(n, field)) agreed++;
    }
  }
  return agreed / total;
}
