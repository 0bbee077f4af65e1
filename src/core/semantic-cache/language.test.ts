import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage, languagesDiffer } from './language.js';

describe('detectLanguage', () => {
  it('tells the language of a question by its function words', () => {
    const cases: Array<[string, string]> = [
      ['How do I reset my password?', 'en'],
      ['Wie kann ich mein Passwort zurücksetzen?', 'de'],
      ['Comment puis-je réinitialiser mon mot de passe ?', 'fr'],
      ['¿Cómo restablezco mi contraseña?', 'es'],
      ['Quali metodi di pagamento accettate?', 'it'],
      ['Hoe kan ik mijn wachtwoord wijzigen?', 'nl'],
      ['Como posso cancelar minha assinatura?', 'pt'],
      ['Python list comprehension with if else', 'en'],
      ['Python list comprehension mit if else', 'de'],
    ];
    for (const [text, language] of cases) assert.equal(detectLanguage(text), language, text);
  });

  it('says nothing for keywords, code or a tie', () => {
    assert.equal(detectLanguage('iPhone 15 Pro'), undefined);
    assert.equal(detectLanguage('npm ERR! code ERESOLVE'), undefined);
  });

  it('languagesDiffer only when both are known and differ', () => {
    assert.equal(languagesDiffer('en', 'de'), true);
    assert.equal(languagesDiffer('en', 'en'), false);
    assert.equal(languagesDiffer('en', undefined), false);
  });
});
