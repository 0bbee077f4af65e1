import type { ChatRequest, FinishReason } from '../../src/wire/chat.js';
import { generateInvoice, type Invoice } from './invoice.js';
import { pick, randomFor, type Random } from './prng.js';

export const wrongKinds = ['wrong-type', 'missing-field', 'fenced-trailing-comma', 'truncated', 'prose', 'negative-total', 'bad-date'] as const;
export type AnswerKind = 'correct' | (typeof wrongKinds)[number];

export interface ModelAnswer {
  kind: AnswerKind;
  content: string;
  finishReason: FinishReason;
}

export interface AnswerOdds {
  seed: number;
  /** Probability that a first answer is wrong. */
  wrongRate: number;
  /** Probability that an answer to a re-ask (a request carrying validation errors) is right. */
  reaskCorrectRate: number;
}

/**
 * What the simulated model answers to one extraction request. The document id comes from the
 * user message, the attempt from the number of assistant turns already in the conversation;
 * both seed the draw, so answers do not depend on request order.
 */
export function answerFor(request: Pick<ChatRequest, 'messages'>, odds: AnswerOdds): ModelAnswer {
  const document = request.messages.find((message) => message.role === 'user');
  const id = Number(/Document #(\d+)/.exec(typeof document?.content === 'string' ? document.content : '')?.[1]);
  if (!Number.isInteger(id)) return { kind: 'prose', content: 'I do not see a document to extract from.', finishReason: 'stop' };
  const attempt = 1 + request.messages.filter((message) => message.role === 'assistant').length;
  const last = request.messages.at(-1);
  const reask = attempt > 1 && last?.role === 'user' && typeof last.content === 'string' && last.content.includes('Answer again');
  const random = randomFor(odds.seed, id, attempt);
  const invoice = generateInvoice(odds.seed, id);
  const correct = random() < (reask ? odds.reaskCorrectRate : 1 - odds.wrongRate);
  if (correct) return { kind: 'correct', content: JSON.stringify(invoice, null, random() < 0.5 ? 2 : undefined), finishReason: 'stop' };
  return wrongAnswer(pick(random, wrongKinds), invoice, random);
}

function wrongAnswer(kind: (typeof wrongKinds)[number], invoice: Invoice, random: Random): ModelAnswer {
  const answer = (content: string, finishReason: FinishReason = 'stop'): ModelAnswer => ({ kind, content, finishReason });
  const money = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  switch (kind) {
    case 'wrong-type':
      return answer(JSON.stringify({ ...invoice, total: money(invoice.total) }));
    case 'missing-field': {
      const record: Record<string, unknown> = { ...invoice };
      delete record[pick(random, ['vendor', 'date', 'currency', 'total', 'number'])];
      return answer(JSON.stringify(record));
    }
    case 'fenced-trailing-comma':
      return answer(`Here is the extracted invoice:\n\`\`\`json\n${JSON.stringify(invoice, null, 2).replace(/\n}$/, ',\n}')}\n\`\`\``);
    case 'truncated': {
      const text = JSON.stringify(invoice, null, 2);
      return answer(text.slice(0, Math.floor(text.length * (0.3 + random() * 0.6))), 'length');
    }
    case 'prose':
      return answer(`The invoice ${invoice.number} from ${invoice.vendor} is dated ${invoice.date} and totals ${money(invoice.total)} ${invoice.currency}.`);
    case 'negative-total':
      return answer(JSON.stringify({ ...invoice, total: -invoice.total }));
    case 'bad-date': {
      const [year, month, day] = invoice.date.split('-');
      return answer(JSON.stringify({ ...invoice, date: `${day}/${month}/${year}` }));
    }
  }
}
