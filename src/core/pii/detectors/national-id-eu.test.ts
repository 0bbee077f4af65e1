import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectPii } from '../detect.js';

const found = (text: string) => detectPii(text, { nlp: false }).map((detection) => `${detection.type}:${text.slice(detection.start, detection.end)}`);

describe('national ids with check digits (DE, NL, FR, IT, BR)', () => {
  it('finds a Steuer-IdNr compact or spaced, and not with a wrong check digit or after an order label', () => {
    assert.deepEqual(found('Steuer-ID 77376209844 bitte'), ['STEUERID:77376209844']);
    assert.deepEqual(found('IdNr: 41 301 152 960'), ['STEUERID:41 301 152 960']);
    assert.deepEqual(found('Steuer-ID 77376209845 bitte'), []);
    assert.deepEqual(found('Bestellnummer 77376209844'), []);
  });

  it('finds a BSN by the elfproef, dotted or compact, but not thousands groups without "BSN"', () => {
    assert.deepEqual(found('Mijn BSN is 361629539.'), ['BSN:361629539']);
    assert.deepEqual(found('burgerservicenummer 5574.65.771'), ['BSN:5574.65.771']);
    assert.deepEqual(found('Mijn BSN is 361629538.'), []);
    assert.deepEqual(found('Ordernummer 361629539'), []);
    assert.deepEqual(found('population 361.629.539'), []);
  });

  it('finds a French NIR with its key, Corsican départements included', () => {
    assert.deepEqual(found('NIR 2 27 05 09 211 707 10'), ['NIR:2 27 05 09 211 707 10']);
    assert.deepEqual(found('sécu 169010650696368'), ['NIR:169010650696368']);
    assert.deepEqual(found('NIR 2 27 05 09 211 707 11'), []);
    assert.deepEqual(found('NIR 1 85 05 2A 006 084 35'), ['NIR:1 85 05 2A 006 084 35']);
  });

  it('finds a codice fiscale by its check letter, upper or lower case', () => {
    assert.deepEqual(found('CF RSSMRA85T10A562S ok'), ['CODICEFISCALE:RSSMRA85T10A562S']);
    assert.deepEqual(found('cf rwzzas57c03i152r'), ['CODICEFISCALE:rwzzas57c03i152r']);
    assert.deepEqual(found('CF RSSMRA85T10A562T ok'), []);
  });

  it('finds a CPF formatted or bare, and not with wrong check digits', () => {
    assert.deepEqual(found('CPF 529.982.247-25'), ['CPF:529.982.247-25']);
    assert.deepEqual(found('CPF: 94710581711'), ['CPF:94710581711']);
    assert.deepEqual(found('CPF 529.982.247-26'), []);
  });

  it('leaves a phone number in international form to PHONE', () => {
    assert.deepEqual(found('Telefon: +48 22 123 45 67'), ['PHONE:+48 22 123 45 67']);
  });
});
