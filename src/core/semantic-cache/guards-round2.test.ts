import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anchorsAgree, extractAnchors } from './anchors.js';
import { detectLanguage, languageEvidence, languagesDiffer } from './language.js';
import { embeddingText, normaliseText } from './normalise.js';
import { swapsContentWords } from './prompt-match.js';
import { extractRoles, rolesAgree } from './roles.js';
import { MemoryResponseCache } from '../../adapters/cache/memory/memory-response-cache.js';
import { HashedNgramEmbedder } from '../../adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { BruteForceVectorIndexStore } from '../../adapters/vector-index/brute-force/brute-force-vector-index.js';
import type { ChatCompletion, ChatRequest } from '../../wire/chat.js';
import { defaultSimilarityThreshold, SemanticCache } from './semantic-cache.js';

/** Each guard on its own, so that a case fails when that guard is removed. */
const canonical = (text: string) => normaliseText(text, detectLanguage(text));
const anchorsMatch = (a: string, b: string) => anchorsAgree(extractAnchors(a), new Set(canonical(a).split(' ')), extractAnchors(b), new Set(canonical(b).split(' ')));
const sameWords = (a: string, b: string) => !swapsContentWords(canonical(a), canonical(b), detectLanguage(a) ?? detectLanguage(b));
const sameRoles = (a: string, b: string) => rolesAgree(extractRoles(a), extractRoles(b));

describe('anchors: case, flags, versions, question and scope words (issue 13)', () => {
  it('a unit symbol in another letter case is another unit: "convert 5 MB to mb" is not "… to Mb"', () => {
    assert.equal(anchorsMatch('Convert 5 MB to mb', 'Convert 5 MB to Mb'), false);
    assert.equal(anchorsMatch('Convert 5 MB to Mb', 'convert 5 MB to Mb please'), true);
  });

  it('a command-line flag keeps its case', () => {
    assert.equal(anchorsMatch('What does chmod -R do?', 'What does chmod -r do?'), false);
    assert.equal(anchorsMatch('What does ls -l do?', 'What does ls -a do?'), false);
    assert.equal(anchorsMatch('What does ls -l do?', 'what does ls -l do'), true);
  });

  it('identifiers typed with inner capitals must agree in case where both prompts use them; lowercase meets either', () => {
    assert.equal(anchorsMatch('Why does userId return undefined?', 'Why does userID return undefined?'), false);
    assert.equal(anchorsMatch('Does JavaScript have classes?', 'does javascript have classes?'), true);
  });

  it('a version keeps its decimals: Python 3.10 is not Python 3.1; 3,5 kg is 3.5 kg', () => {
    assert.equal(anchorsMatch('Is Python 3.1 still supported?', 'Is Python 3.10 still supported?'), false);
    assert.equal(anchorsMatch('Does Node 20.1 support fetch?', 'Does Node 20.10 support fetch?'), false);
    assert.equal(anchorsMatch('Is 3,5 kg allowed?', 'Is 3.5 kg allowed?'), true);
  });

  it('when, why, where and who ask for different things, in several languages', () => {
    for (const [a, b] of [
      ['When is my order shipped?', 'Why is my order shipped?'],
      ['Wann kann ich meine Rechnung bezahlen?', 'Wo kann ich meine Rechnung bezahlen?'],
      ['¿Cuándo recojo mi pedido?', '¿Dónde recojo mi pedido?'],
      ['Pourquoi ma commande est-elle retardée ?', 'Où est ma commande retardée ?'],
      ['Who approves my expense report?', 'When is my expense report approved?'],
    ])
      assert.equal(anchorsMatch(a!, b!), false, `${a} / ${b}`);
    // "Where do I …" asks what "How do I …" asks.
    assert.equal(anchorsMatch('Where do I change my avatar?', 'How do I change my avatar?'), true);
    assert.equal(anchorsMatch('Where do I change my avatar?', 'When do I change my avatar?'), false);
  });

  it('only, except, over/under and another person narrow or widen the question', () => {
    for (const [a, b] of [
      ['Can I export the selected rows?', 'Can I export only the selected rows?'],
      ['Kann ich die Rechnung herunterladen?', 'Kann ich nur die Rechnung herunterladen?'],
      ['Can I return all items?', 'Can I return all items except shoes?'],
      ['How do I reset my password?', 'How do I reset his password?'],
      ['Show orders over 100 euros', 'Show orders under 100 euros'],
    ])
      assert.equal(anchorsMatch(a!, b!), false, `${a} / ${b}`);
  });

  it('a trailing + or # is part of a name: C++ and C# are not C, Disney+ is not Disney', () => {
    assert.equal(anchorsMatch('Is C++ hard to learn?', 'Is C# hard to learn?'), false);
    assert.equal(anchorsMatch('Is C++ hard to learn?', 'Is C hard to learn?'), false);
    assert.equal(anchorsMatch('Does the Galaxy S24+ support eSIM?', 'Does the Galaxy S24 support eSIM?'), false);
    assert.equal(anchorsMatch('Is C++ hard to learn?', 'is c++ hard to learn'), true);
  });

  it('a short symbol after a number that no table knows is a unit in its case', () => {
    assert.equal(anchorsMatch('Tighten the bolt to 5 Nm?', 'Tighten the bolt to 5 nm?'), false);
    assert.equal(anchorsMatch('Is a 10 Wh battery allowed on planes?', 'Is a 10 kWh battery allowed on planes?'), false);
    assert.equal(anchorsMatch('Is a 10 Wh battery allowed on planes?', 'is a 10 Wh battery allowed on planes'), true);
  });

  it('push is not pull, upgrade is not downgrade, deposit is not withdraw', () => {
    assert.equal(anchorsMatch('How do I push my branch?', 'How do I pull my branch?'), false);
    assert.equal(anchorsMatch('Can I upgrade anytime?', 'Can I downgrade anytime?'), false);
    assert.equal(anchorsMatch('Is there a fee to deposit cash?', 'Is there a fee to withdraw cash?'), false);
  });

  it('"log in" is "login" and "sign up" carries no direction', () => {
    assert.equal(anchorsMatch('Why can I not log in?', 'Why can I not login?'), true);
    assert.equal(anchorsMatch('Why can I not log in?', 'Why can I not log out?'), false);
    assert.equal(anchorsMatch('How do I sign up?', 'How do I register?'), true);
  });
});

describe('content words: stems of the prompt’s language, not shared beginnings (issue 13)', () => {
  it('refuses words that share a long beginning but are other words', () => {
    for (const [a, b] of [
      ['Is the server in Frankfurt down?', 'Is the service in Frankfurt down?'],
      ['How much storage do I get?', 'How much store do I get?'],
      ['mysql json column support', 'mssql json column support'],
      ['Maria needs access to the finance folder', 'Mario needs access to the finance folder'],
      ['Kann der Mieter kündigen?', 'Kann die Miete kündigen?'],
    ])
      assert.equal(sameWords(a!, b!), false, `${a} / ${b}`);
  });

  it('lets inflections, stem changes and typing slips through', () => {
    for (const [a, b] of [
      ['How do I add a user?', 'adding a user, how?'],
      ['Where is the reciept for my order?', 'Where is the receipt for my order?'],
      ['Can I change my adress?', 'Can I change my address?'],
      ['¿Cómo restablezco mi contraseña?', '¿Cómo puedo restablecer mi contraseña?'],
      ['Wie kann ich mein Passwort zurücksetzen?', 'Wie setze ich mein Passwort zurück?'],
      ['Comment annuler ma commande ?', 'J’annule ma commande, comment ?'],
    ])
      assert.equal(sameWords(a!, b!), true, `${a} / ${b}`);
  });

  it('a synonym row meets its inflections in the prompt’s language, and never another language’s row', () => {
    assert.equal(sameWords('Hoe verander ik mijn profielfoto?', 'Hoe kan ik mijn profielfoto wijzigen?'), true);
    assert.equal(sameWords('Come genero una chiave API?', 'Come posso creare una chiave API?'), true);
    // Spanish and Portuguese rows are apart: a translation does not meet through the table.
    assert.notEqual(canonical('Como alterar a foto do perfil?').split(' ')[1], canonical('¿Cómo cambio mi foto de perfil?').split(' ')[1]);
  });

  it('embeds the content words only', () => {
    assert.equal(embeddingText(canonical('How can I register for an account?')), embeddingText(canonical('How do I sign up for an account?')));
    assert.equal(embeddingText('is it'), 'is it');
  });
});

describe('roles: Romance de … a, and arithmetic operators (issue 13)', () => {
  it('"move X into Y" is not "move Y into X"', () => {
    assert.equal(sameRoles('How do I move the files into the archive folder?', 'How do I move the archive folder into the files?'), false);
  });

  it('refuses de X a Y / da X a Y swapped', () => {
    for (const [a, b] of [
      ['¿Cómo convierto un archivo de word a pdf?', '¿Cómo convierto un archivo de pdf a word?'],
      ['Come converto un file da pdf a word?', 'Come converto un file da word a pdf?'],
      ['Como converto um arquivo de excel para csv?', 'Como converto um arquivo de csv para excel?'],
    ])
      assert.equal(sameRoles(a!, b!), false, `${a} / ${b}`);
    // In Spanish, Italian, Portuguese and French "a" is a preposition between the two, even unpaired.
    assert.equal(rolesAgree(extractRoles('¿Cómo paso android a iphone?', 'es'), extractRoles('¿Cómo paso iphone a android?', 'es')), false);
    // English "do" and "a" are no such pair.
    assert.equal(sameRoles('How do I reverse a list in Python?', 'how to reverse a list in Python'), true);
  });

  it('refuses other operators between the same operands', () => {
    assert.equal(sameRoles('What is 3 + 5 * 2?', 'What is 3 * 5 + 2?'), false);
    assert.equal(sameRoles('What is 7 times 8?', 'What is 7 plus 8?'), false);
    assert.equal(sameRoles('What is 7 times 8?', 'What is 7 x 8?'), true);
    assert.equal(sameRoles('How do I enable two-factor authentication?', 'how do i enable two factor authentication'), true);
  });
});

describe('the language guard with prompts too short to tell (issue 13)', () => {
  it('a told language against an untold prompt that shows signs of others only is a miss', () => {
    assert.ok(languageEvidence('alterar a senha').includes('pt'));
    assert.equal(languagesDiffer('es', undefined, ['es'], languageEvidence('alterar a senha')), true);
    assert.equal(languagesDiffer('de', undefined, ['de'], languageEvidence('Rechnung Zahlung')), false);
    // No evidence at all: nothing to go on, the other guards decide.
    assert.equal(languagesDiffer('en', undefined, ['en'], languageEvidence('iPhone 15 Pro')), false);
  });
});

describe('word tables have no prototype', () => {
  // Regression: "constructor" found Object's constructor in the currency table (anchor "cur:function Object() …"),
  // and a stored entry's anchors then held a function that JSON dropped, so it never met its own question again.
  it('"constructor", "toString" and "valueOf" are words, not table entries', () => {
    for (const text of ['What is a constructor in Java?', 'what does toString do', 'Why is valueOf called?', 'hasOwnProperty vs in']) {
      const anchors = extractAnchors(text);
      assert.ok(
        anchors.exact.every((anchor) => typeof anchor === 'string' && !anchor.includes('function')),
        `${text}: ${JSON.stringify(anchors.exact)}`,
      );
    }
    assert.equal(sameRoles('call the constructor from toString', 'call the constructor from toString'), true);
  });
});

describe('through the cache (built-in embedder, default threshold)', () => {
  const ask = (content: string): ChatRequest => ({ model: 'support', messages: [{ role: 'user', content }] });
  const answer = (content: string): ChatCompletion => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'upstream',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
  const open = () => {
    const embedder = new HashedNgramEmbedder();
    return new SemanticCache({
      embedder,
      indexes: new BruteForceVectorIndexStore(embedder.dimension),
      payloads: new MemoryResponseCache(100),
      maxEntries: 100,
      maxScopes: 4,
      maxStoredScopes: 10,
    });
  };
  const served = async (cached: string, asked: string) => {
    const cache = open();
    await cache.store(ask(cached), 'acme', 'support', answer(cached), 60_000);
    return (await cache.lookup(ask(asked), 'acme', 'support', defaultSimilarityThreshold))?.completion.choices[0]?.message.content;
  };

  it('serves a rewording whose frame and synonyms differ (content words are what is embedded)', async () => {
    assert.equal(await served('How do I sign up for an account?', 'How can I register for an account?'), 'How do I sign up for an account?');
    assert.equal(await served('Hoe verander ik mijn profielfoto?', 'Hoe kan ik mijn profielfoto wijzigen?'), 'Hoe verander ik mijn profielfoto?');
  });

  it('never serves the Spanish answer to the Portuguese question, even without a function word that tells them apart', async () => {
    assert.equal(await served('¿Cómo cambio mi foto de perfil?', 'Como alterar a foto do perfil?'), undefined);
    assert.equal(await served('Como pago con PayPal', 'Como pago com PayPal'), undefined);
  });

  it('never serves "move X into Y" for "move Y into X", nor 5 MB to mb for 5 MB to Mb', async () => {
    assert.equal(await served('How do I move the drafts folder into the archive folder?', 'How do I move the archive folder into the drafts folder?'), undefined);
    assert.equal(await served('Convert 5 MB to mb', 'Convert 5 MB to Mb'), undefined);
  });

  it('keeps "E-Mail-Adresse" findable as a name after normalising', async () => {
    assert.equal(await served('Wie ändere ich meine E-Mail-Adresse?', 'Wie kann ich meine E-Mail-Adresse ändern?'), 'Wie ändere ich meine E-Mail-Adresse?');
  });
});
