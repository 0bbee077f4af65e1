import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCounter } from '../../pricing/token-counter.js';
import { defaultRouterModel } from './default-router-model.js';
import { hashedNgrams, ngramBuckets } from './hashed-ngrams.js';
import { parseRouterModel, scoreRoute } from './router-model.js';
import { trainRouterModel, type TrainingExample } from './train-router-model.js';
import { exampleOf, linesFromFeedback, parseTrainingLine } from './training-rows.js';

const tokens = new TokenCounter();
const ask = (label: 'easy' | 'hard', text: string, id: string) => exampleOf({ id, label, request: { messages: [{ role: 'user', content: text }] } }, tokens, id);

/** A small labelled set whose hard rows share words the easy rows never use. */
function toySet(): TrainingExample[] {
  const rows: TrainingExample[] = [];
  for (let index = 0; index < 24; index++) {
    rows.push(ask('hard', `Review the indemnity clause ${index} and tell me the liability exposure for our company`, `h${index}`));
    rows.push(ask('easy', `What colour is item ${index} in the catalogue?`, `e${index}`));
  }
  return rows;
}

describe('trainRouterModel', () => {
  it('learns to separate the classes, and the same rows give the same model', () => {
    const first = trainRouterModel(toySet(), { iterations: 300 });
    const second = trainRouterModel(toySet(), { iterations: 300 });
    assert.deepEqual(first, second, 'deterministic');
    const hard = scoreRoute(first, ask('hard', 'Review the indemnity clause 99 and tell me the liability exposure for our company', 'x').vector);
    const easy = scoreRoute(first, ask('easy', 'What colour is item 99 in the catalogue?', 'y').vector);
    assert.ok(hard.probability >= first.threshold, `hard ${hard.probability} vs threshold ${first.threshold}`);
    assert.ok(easy.probability < first.threshold, `easy ${easy.probability} vs threshold ${first.threshold}`);
    assert.equal(first.trainedOn?.outOfFoldHardToSmall, 0);
    assert.ok(parseRouterModel(JSON.parse(JSON.stringify(first))).ok, 'a trained model round-trips through its file format');
  });

  it('refuses a set with one class only', () => {
    assert.throws(() => trainRouterModel(toySet().filter((row) => row.hard)), /both easy and hard rows/);
  });
});

describe('the learned scorer', () => {
  it('names the features that pushed, and counts n-grams as one "wording" feature', () => {
    const score = scoreRoute(defaultRouterModel, ask('hard', 'Prove that there are infinitely many primes.', 'p').vector);
    assert.ok(score.probability > defaultRouterModel.threshold);
    assert.ok(score.contributions.some((item) => item.feature === 'maths: proof' && item.weight > 0));
    assert.equal(score.contributions.filter((item) => item.feature === 'wording').length, 1);
  });

  it('reads a bounded number of words, so a pasted document costs no more than a few thousand buckets', () => {
    const buckets = hashedNgrams('alpha beta gamma delta '.repeat(200_000) + 'unique closing words at the end');
    assert.ok(buckets.length < 3 * 4_096);
    assert.ok(buckets.every((bucket) => bucket >= 0 && bucket < ngramBuckets));
    assert.deepEqual(hashedNgrams('Same words'), hashedNgrams('same   WORDS'), 'case and spacing do not matter');
  });

  it('refuses a model file of another bucket count, naming the field', () => {
    const parsed = parseRouterModel({ ...defaultRouterModel, buckets: 1024 });
    assert.ok(!parsed.ok);
    assert.match(parsed.error.join('\n'), /buckets/);
  });
});

describe('training rows', () => {
  it('parses labelled requests and stored vectors, and says what a line must hold', () => {
    assert.ok(parseTrainingLine('{"label":"hard","request":{"messages":[{"role":"user","content":"x"}]}}').ok);
    assert.ok(parseTrainingLine('{"label":"easy","vector":{"named":{"risk: health":1},"ngrams":[1,2]}}').ok);
    const bad = parseTrainingLine('{"label":"medium","request":{"messages":[]}}');
    assert.ok(!bad.ok);
    assert.match(bad.error, /"label": "easy"\|"hard"/);
  });

  it('turns ratings into labels: should-have-been wins, good confirms the tier, bad flips it', () => {
    const vector = { named: {}, ngrams: [1] };
    const observation = (tier: string, requestId: string) => ({ requestId, tenant: 't', keyId: 'k', alias: 'auto', tier, probability: 0.2, vector, ts: 1 });
    const feedback = (requestId: string, rating: 'good' | 'bad', shouldHaveBeen: string | null = null) => ({
      requestId,
      tenant: 't',
      keyId: 'k',
      rating,
      shouldHaveBeen,
      note: null,
      ts: 2,
    });
    const { lines, skipped } = linesFromFeedback([
      { observation: observation('small', 'a'), feedback: feedback('a', 'good') },
      { observation: observation('small', 'b'), feedback: feedback('b', 'bad') },
      { observation: observation('large', 'c'), feedback: feedback('c', 'bad') },
      { observation: observation('small', 'd'), feedback: feedback('d', 'good', 'large') },
      { observation: observation('medium', 'e'), feedback: feedback('e', 'bad') },
    ]);
    assert.deepEqual(
      lines.map((line) => `${line.id}:${line.label}`),
      ['t/a:easy', 't/b:hard', 't/c:easy', 't/d:hard'],
    );
    assert.equal(skipped, 1);
  });
});
