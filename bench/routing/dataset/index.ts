import { advice } from './advice.js';
import { agents } from './agents.js';
import { coding } from './coding.js';
import { constraints } from './constraints.js';
import { conversation } from './conversation.js';
import type { LabelledRequest } from './entry.js';
import { extraction } from './extraction.js';
import { language } from './language.js';
import { everydayWriting, formatting, retrievedContext, riskEveryday, routineCode, schemaExtraction, shortCode, shortHard, toolCalls } from './look-alikes.js';
import { maths } from './maths.js';
import { data, planning, prose, writing } from './planning-and-writing.js';
import { product } from './product.js';
import { finance, health, legal, safetySecurity } from './risk.js';
import { support } from './support.js';

export type { Label, LabelledRequest } from './entry.js';

/** Every labelled request, each repeat expanded into its own identical request. */
export function labelledRequests(): LabelledRequest[] {
  const unique = [
    ...support,
    ...coding,
    ...maths,
    ...extraction,
    ...agents,
    ...language,
    ...conversation,
    ...advice,
    ...product,
    ...health,
    ...legal,
    ...finance,
    ...safetySecurity,
    ...constraints,
    ...writing,
    ...planning,
    ...data,
    ...prose,
    ...toolCalls,
    ...schemaExtraction,
    ...retrievedContext,
    ...riskEveryday,
    ...formatting,
    ...shortCode,
    ...shortHard,
    ...everydayWriting,
    ...routineCode,
  ];
  return unique.flatMap((entry) => Array.from({ length: 1 + (entry.repeat ?? 0) }, () => entry));
}

export const uniqueRequestCount = (): number => new Set(labelledRequests().map((entry) => entry.id)).size;
