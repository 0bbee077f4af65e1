/**
 * Writes src/core/pii/detectors/name-lists.ts: given and family names of the locales
 * Breakwater's users write in, from @faker-js/faker's locale data (MIT). Run by hand when the
 * lists should change; nothing downloads them at install, test or run time:
 *
 *   npm install --no-save @faker-js/faker@10 && node bench/pii/make-name-lists.mjs
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as faker from '@faker-js/faker';

const locales = [
  'en',
  'en_IN',
  'en_IE',
  'en_AU',
  'de',
  'de_AT',
  'de_CH',
  'fr',
  'es',
  'es_MX',
  'it',
  'nl',
  'nl_BE',
  'pt_BR',
  'pt_PT',
  'pl',
  'cs_CZ',
  'ro',
  'hr',
  'tr',
  'sv',
  'da',
  'nb_NO',
];
// Common given names the locale data lacks (written by hand, checked against the dev set's misses only).
const supplement = `Jürgen Günter Günther Uwe Horst Heike Birgit Anke Dörte Gisela Hannelore Rüdiger Detlef Gerd Hartmut Volker Rainer Ute Elke
  Mathieu Thibault Gaëlle Maëlle Solène Ayşe Wei Jing Xiaoming Ming Lei Yan Hui Fang Ying Jun Hao Ananya Sneha Vikram Deepika Kavya Siddharth Amit
  Pooja Neha Anjali Rakesh Suresh Ramesh Mahesh Ganesh Venkat Srinivas Lakshmi Anand Arvind Nikhil Shreya Álvaro Iker Montserrat Ainhoa Itziar
  Sergei Sergey Dmitri Dmitry Yuki Hiroshi Haruto Sakura Kenji Takeshi Jae Minjun Seo Nguyen Linh Thao Tuan Mohammed Mohamed Muhammad Fatima
  Aisha Omar Youssef Khalid Layla Noura Yasmin Karim Samir Tariq Olumide Chinedu Ngozi Kwame Amara Thandiwe
  Aarav Sunil Rajesh Vivek Sanjay Ajay Vijay Manoj Ravi Arun Kiran Deepak Prakash Anil Ashok Sandeep Rohit Rahul Karan Arjun Ishaan Vihaan Aditi
  Divya Meera Nisha Priyanka Swati Shweta Sonia Rekha Geeta Sita Radha Usha Asha Kavita Sunita Anita Manish Naveen Harish Girish Satish Dinesh
  Mukesh Yogesh Hitesh Nilesh Tejas Pranav Varun Tarun Gaurav Saurabh Abhishek Akshay Amitabh Siobhan Niamh Aoife Saoirse Ciara Cian Oisín Seán
  Padraig Eoin Ruairí Caoimhe Róisín`;
const flatten = (entry) => (entry === undefined ? [] : Array.isArray(entry) ? entry : [...(entry.generic ?? []), ...(entry.female ?? []), ...(entry.male ?? [])]);
const given = new Set();
const family = new Set();
for (const locale of locales) {
  const person = faker[locale]?.person;
  for (const name of flatten(person?.first_name)) given.add(name);
  for (const name of flatten(person?.last_name)) family.add(name);
}
for (const name of supplement.split(/\s+/)) given.add(name);
const word = /^\p{Lu}(?:[\p{Ll}'’]+(?:\p{Lu}[\p{Ll}'’]+)?|['’]\p{Lu}[\p{Ll}'’]+)(?:-\p{Lu}[\p{Ll}'’]+)?$/u;
// A given name that is also an English word compromise knows as something else ("Will", "May", "Hope").
const lexicon = createRequire(import.meta.url)('compromise').model().one.lexicon;
const englishWord = (name) => {
  const tag = lexicon[name.toLowerCase()];
  return tag !== undefined && !/Name/.test(String(tag));
};
const keep = (names) => [...names].filter((name) => word.test(name) && name.length >= 3).sort();
const givenNames = keep(given);
const ambiguous = givenNames.filter(englishWord);
const lines = (names) => {
  const out = [];
  let line = '';
  for (const name of names) {
    if (line.length + name.length > 110) {
      out.push(`  '${line.trim()}',`);
      line = '';
    }
    line += `${name.replace(/'/g, "\\'")} `;
  }
  if (line.trim()) out.push(`  '${line.trim()}',`);
  return out.join('\n');
};
writeFileSync(
  new URL('../../src/core/pii/detectors/name-lists.ts', import.meta.url),
  `/**
 * Given and family names of ${locales.length} locales, from @faker-js/faker's locale data (MIT
 * licence), written by bench/pii/make-name-lists.mjs. A table, not code: edit the script.
 * \`englishWordNames\`: given names that are also English words compromise tags otherwise.
 */
export const givenNameList: readonly string[] = [
${lines(givenNames)}
];

export const familyNameList: readonly string[] = [
${lines(keep(family))}
];

export const englishWordNameList: readonly string[] = [
${lines(ambiguous)}
];
`,
);
console.log(`${givenNames.length} given names (${ambiguous.length} also English words), ${keep(family).length} family names`);
