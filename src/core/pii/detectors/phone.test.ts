import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectPhones } from './phone.js';

const phones = (text: string) => detectPhones(text).map((detection) => text.slice(detection.start, detection.end));

describe('detectPhones: national formats of the default regions', () => {
  it('finds Dutch, French, British, Brazilian and Polish national numbers', () => {
    assert.deepEqual(phones('Bel me op 06-12345678 of 020 123 4567.'), ['06-12345678', '020 123 4567']);
    assert.deepEqual(phones('au 01.42.68.53.00 ou au 0612345678'), ['01.42.68.53.00', '0612345678']);
    assert.deepEqual(phones('Ring me on 07700 900123'), ['07700 900123']);
    assert.deepEqual(phones('Me liga no (11) 96123-4567 depois'), ['(11) 96123-4567']);
    assert.deepEqual(phones('numer 512 345 678'), ['512 345 678']);
  });

  it('leaves CPFs, NIRs and thousands-grouped amounts alone', () => {
    assert.deepEqual(phones('O CPF 274.842.431-13 foi recusado'), []);
    assert.deepEqual(phones('Le numéro 1 52 04 51 320 200 64 a été refusé'), []);
    assert.deepEqual(phones('population 83.166.711'), []);
    assert.deepEqual(phones('12 34 56 78 90 12'), []);
    // "…nummer" compounds other than Telefon-, Handy- or Rufnummer are not a cue for a bare run.
    assert.deepEqual(phones('Matrikelnummer 12345678 steht auf dem Ausweis'), []);
    assert.deepEqual(phones('Handynummer 15123456789'), ['15123456789']);
  });
});
