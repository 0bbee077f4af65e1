import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryResponseCache } from '../../adapters/cache/memory/memory-response-cache.js';
import { HashedNgramEmbedder } from '../../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { BruteForceVectorIndexStore } from '../../adapters/vector-index/brute-force/brute-force-vector-index.js';
import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import { anchorSignature, anchorsAgree, extractAnchors } from './anchors.js';
import { detectLanguage } from './language.js';
import { contextMark, contextSplit, embeddingText, normaliseText } from './normalise.js';
import { swapsContentWords } from './prompt-match.js';
import { defaultSimilarityThreshold, SemanticCache } from './semantic-cache.js';

/** Issue 13, third dev round: light rewordings (spelling, fillers, compounds) and a context sentence added or dropped. */
const canonical = (text: string) => normaliseText(text, detectLanguage(text));
const anchorsMatch = (a: string, b: string) => anchorsAgree(extractAnchors(a), new Set(canonical(a).split(' ')), extractAnchors(b), new Set(canonical(b).split(' ')));
const sameWords = (a: string, b: string) => !swapsContentWords(canonical(a), canonical(b), detectLanguage(a) ?? detectLanguage(b));

describe('light rewordings: how a hurried user types the same question', () => {
  it('contractions typed without the apostrophe are spelled out, negation included', () => {
    assert.equal(normaliseText('whats the refund policy'), normaliseText("what's the refund policy"));
    assert.equal(normaliseText('why cant i log in'), normaliseText("why can't i log in"));
    assert.equal(normaliseText('i dont have an account'), normaliseText("i don't have an account"));
  });

  it('greetings and "please" of each language are fillers', () => {
    for (const [filled, plain] of <Array<[string, string]>>[
      ['hoi hoe verander ik de taal', 'hoe verander ik de taal'],
      ['oi como mudo o idioma', 'como mudo o idioma'],
      ['como desactivo las notificaciones porfa', 'como desactivo las notificaciones'],
      ['kan ik mijn limiet verhogen pfv', 'kan ik mijn limiet verhogen'],
      ['hoe zet ik meldingen uit aub', 'hoe zet ik meldingen uit'],
    ])
      assert.equal(normaliseText(filled), normaliseText(plain), filled);
  });

  it('greetings to a group, "one question" and chat spellings are fillers too, the longest phrase first', () => {
    assert.equal(normaliseText('Hallo zusammen, wie kündige ich mein Abo?'), normaliseText('Wie kündige ich mein Abo?'));
    assert.equal(normaliseText('Bonjour à tous, petite question : comment annuler ma commande ?'), normaliseText('Comment annuler ma commande ?'));
    assert.equal(normaliseText('hey guys how do u reset ur password'), normaliseText('How do you reset your password?'));
    assert.equal(normaliseText('hoe zet ik meldingen uit a.u.b.'), normaliseText('Hoe zet ik meldingen uit?'));
    assert.equal(normaliseText('ive lost my card'), normaliseText("I've lost my card"));
  });

  it('ß, œ and umlauts typed as ae/oe/ue meet their letters', () => {
    assert.equal(normaliseText('Größe'), normaliseText('grösse'));
    assert.equal(normaliseText('œuf'), normaliseText('oeuf'));
    assert.equal(sameWords('Wann finden die Mitarbeitergespräche statt?', 'wann finden die mitarbeitergespraeche statt'), true);
    // The capitalised noun (a name to the anchors) is found in its transliterated or inflected spelling.
    assert.equal(anchorsMatch('Wann finden die Mitarbeitergespräche statt?', 'wann finden die mitarbeitergespraeche statt'), true);
    assert.equal(anchorsMatch('Kann ich die Größe eines Artikels ändern?', 'kann ich die grösse eines artikels ändern'), true);
  });

  it('a compound hyphenated, written apart or joined is one word', () => {
    assert.equal(sameWords('Wie schalte ich E-Mail-Benachrichtigungen aus?', 'wie schalte ich email benachrichtigungen aus'), true);
    assert.equal(sameWords('Hoe controleer ik of een sleutel in een Python-dictionary zit?', 'hoe controleer ik of een sleutel in een python dictionary zit'), true);
    assert.equal(anchorsMatch('Wie prüfe ich ein Python-Dictionary?', 'wie prüfe ich ein python dictionary'), true);
  });

  it('"am I allowed to" asks what "can I" asks in every language; "where can I see" what "where do I find"', () => {
    assert.equal(sameWords('Darf ich meinen Hund im Zug mitnehmen?', 'Ist es erlaubt, meinen Hund im Zug mitzunehmen?'), true);
    assert.equal(sameWords('Where can I see my usage this month?', 'Where do I find my usage for this month?'), true);
  });

  it('verbs and nouns a support question uses interchangeably, in each language', () => {
    assert.equal(sameWords('How do I set up the printer on my computer?', 'How can I install the printer on my computer?'), true);
    assert.equal(sameWords('How do I invite a colleague to my workspace?', 'How can I invite a coworker to my workspace?'), true);
    assert.equal(sameWords('Wie verbinde ich die App mit Slack?', 'Wie kann ich die App in Slack integrieren?'), true);
    assert.equal(sameWords('How do I invite a colleague to my workspace?', 'How can I invite a customer to my workspace?'), false);
  });

  it('a Spanish or Italian infinitive with its pronoun joined is the same verb', () => {
    assert.equal(sameWords('¿Cómo me conecto a la VPN?', '¿Cómo puedo conectarme a la VPN?'), true);
    assert.equal(sameWords('¿Cómo me inscribo en un curso online?', '¿Cómo puedo inscribirme en un curso online?'), true);
  });

  it('a French elision typed without its apostrophe', () => {
    assert.equal(sameWords("Ai-je besoin d'un visa pour aller au Japon ?", 'ai je besoin dun visa pour aller au japon'), true);
  });

  it('a letter left out or slipped into a long word is a typo; a letter for another is not', () => {
    assert.equal(sameWords('Can I increase my daily withdrawal limit?', 'can i increase my daily withdrawl limit'), true);
    assert.equal(sameWords('Is it safe to exercise with a cold?', 'is it safe to excercise with a cold'), true);
    // Short words and substitutions stay different words.
    assert.equal(sameWords('Who is my customer?', 'Who is my custmer?'), false);
    assert.equal(sameWords('Which department handles refunds?', 'Which departmant handles refunds?'), false);
    assert.equal(sameWords('Can I return the printer?', 'Can I return the printed?'), false);
  });
});

describe('a short context sentence before the question', () => {
  it('is split off only when it is a short statement before a final question', () => {
    assert.deepEqual(contextSplit('We moved offices last month. How do I update my mailing address?'), {
      context: 'We moved offices last month.',
      question: 'How do I update my mailing address?',
    });
    assert.equal(contextSplit('How do I update my mailing address?'), undefined);
    assert.equal(contextSplit('How do I update my address? We moved.'), undefined);
    assert.equal(contextSplit('Is it safe? Really? How do I know?'), undefined);
    assert.equal(contextSplit(`${'word '.repeat(30)}. How do I update it?`), undefined);
    assert.ok(normaliseText('We moved offices last month. How do I update my mailing address?').includes(` ${contextMark} `));
  });

  it('weighs the question above its context in what is embedded', () => {
    const text = embeddingText(normaliseText('We moved offices last month. How do I update my mailing address?'));
    assert.equal(text.split('mailing').length - 1, 2);
    assert.equal(text.split('offices').length - 1, 1);
  });

  it('its dates and names count only when both prompts carry a context; its numbers always', () => {
    assert.equal(anchorsMatch('I joined in March. When are performance reviews held?', 'When are performance reviews held?'), true);
    assert.equal(anchorsMatch('I joined in March. When are performance reviews held?', 'I joined in May. When are performance reviews held?'), false);
    assert.equal(anchorsMatch('I have 3 kids. How much leave do I get?', 'How much leave do I get?'), false);
    assert.equal(anchorSignature(extractAnchors('I joined in March. When are reviews held?')), anchorSignature(extractAnchors('When are reviews held?')));
  });

  it('words of the context that the other prompt folds into its question are no swap; other added words still are', () => {
    assert.equal(sameWords('I am new to git. How do I create a new branch?', 'How can I create a new branch in git?'), true);
    assert.equal(sameWords('I am new to git. How do I create a new branch?', 'How can I create a new branch in svn?'), false);
  });

  it('typed without punctuation, a remark before the question word is context; a question word inside a short prompt is not', () => {
    assert.equal(sameWords('How do I update my mailing address?', 'we moved offices last month how do i update my mailing address'), true);
    assert.equal(sameWords('How do I update my mailing address?', 'we moved offices last month how do i update my billing address'), false);
    assert.equal(sameWords('How do I export my data?', 'premium how do i export my data'), false);
  });

  const ask = (content: string): ChatRequest => ({ model: 'support', messages: [{ role: 'user', content }] });
  const answer = (content: string): ChatCompletion => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'upstream',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
  const served = async (cached: string, asked: string) => {
    const embedder = new HashedNgramEmbedder();
    const cache = new SemanticCache({
      embedder,
      indexes: new BruteForceVectorIndexStore(embedder.dimension),
      payloads: new MemoryResponseCache(100),
      maxEntries: 100,
      maxScopes: 4,
      maxStoredScopes: 10,
    });
    await cache.store(ask(cached), 'acme', 'support', answer(cached), 60_000);
    return (await cache.lookup(ask(asked), 'acme', 'support', defaultSimilarityThreshold))?.completion.choices[0]?.message.content;
  };

  it('through the cache: added, dropped or typed without punctuation, the question is served', async () => {
    const cached = 'We moved offices last month. How do I update my mailing address?';
    assert.equal(await served(cached, 'How do I update my mailing address?'), cached);
    assert.equal(await served(cached, 'we moved offices last month how do i update my mailing address'), cached);
    assert.equal(await served('How do I connect to the VPN?', 'I work from home today. How do I connect to the VPN?'), 'How do I connect to the VPN?');
  });

  it('through the cache: another question after the same context, or another context on both sides, is not served', async () => {
    assert.equal(await served('We moved offices last month. How do I update my mailing address?', 'We moved offices last month. How do I update my billing address?'), undefined);
    assert.equal(await served('I am on the Basic plan. Does it include phone support?', 'I am on the Business plan. Does it include phone support?'), undefined);
    assert.equal(await served('How many vacation days do I get?', 'I have worked here for 10 years. How many vacation days do I get?'), undefined);
  });
});
