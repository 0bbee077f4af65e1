import { mulberry32, pick } from '../structured/prng.js';
import { nearMisses } from './near-misses.js';
import { paraphraseGroups } from './paraphrases.js';

/**
 * Varied prompts for the latency run: the hand-written questions with random entities and
 * numbers swapped in and a random context clause, deterministic for a seed.
 */
const questions = [...paraphraseGroups.flat(), ...nearMisses.flat()];
const people = ['Anna', 'Peter', 'Maria', 'John', 'Lucía', 'Julien', 'Thomas', 'Aiko', 'Priya', 'Omar', 'Chen', 'Fatima'];
const products = ['Pro plan', 'Starter plan', 'iPhone 15', 'Galaxy S24', 'ThinkPad X1', 'Kindle', 'AirPods', 'Pixel 8', 'Surface Pro', 'Echo Dot'];
const contexts = [
  (random: () => number) => `My order number is ${100000 + Math.floor(random() * 900000)}.`,
  (random: () => number) => `This is about ticket SUP-${1000 + Math.floor(random() * 9000)}.`,
  (random: () => number) => `I bought the ${pick(random, products)} ${1 + Math.floor(random() * 28)} days ago.`,
  (random: () => number) => `Asking for ${pick(random, people)} from the ${pick(random, ['Berlin', 'Madrid', 'Lyon', 'Austin', 'Osaka'])} office.`,
  (random: () => number) => `We have ${2 + Math.floor(random() * 500)} users on our account.`,
  (random: () => number) => `Budget is ${50 + Math.floor(random() * 5000)} EUR.`,
  () => '',
];

export function syntheticPrompts(count: number, seed: number): string[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const question = pick(random, questions).replace(/\d+/g, () => String(1 + Math.floor(random() * 999)));
    return `${question} ${pick(random, contexts)(random)}`.trim();
  });
}
