import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectNamesByList } from './name-gazetteer.js';

const names = (text: string) => detectNamesByList(text).map((detection) => text.slice(detection.start, detection.end));

describe('detectNamesByList: names with no title or introduction', () => {
  it('finds a known given name with its family name, particles included, in several languages', () => {
    assert.deepEqual(names('Ich habe gestern mit Jürgen Hartmann gesprochen.'), ['Jürgen Hartmann']);
    assert.deepEqual(names('Mijn collega Sanne de Vries neemt het over.'), ['Sanne de Vries']);
    assert.deepEqual(names('Falei com Rafael Oliveira sobre o reembolso.'), ['Rafael Oliveira']);
    assert.deepEqual(names('Can you call Jennifer back?'), ['Jennifer']);
  });

  it('leaves given names that are also words, places or products alone unless a family name follows', () => {
    assert.deepEqual(names('Grace period ends on Friday. Ask Claude or check Paris.'), []);
    assert.deepEqual(names('Will the release support Windows Server 2022?'), []);
    assert.deepEqual(names('Grace Kelly starred in Rear Window.'), ['Grace Kelly']);
  });

  it('does not take a name out of a longer capitalised phrase', () => {
    assert.deepEqual(names('Santa Maria Novella is next to the station.'), []);
    assert.deepEqual(names('The conference is at Victoria Station.'), []);
  });

  it('scans 256 KB of names in linear time', () => {
    const hostile = 'Maria de Maria '.repeat(17_500);
    const started = performance.now();
    assert.ok(names(hostile).length > 0);
    assert.ok(performance.now() - started < 1_000);
  });
});

describe('name rules: cues in Dutch, Italian, Portuguese and Polish', () => {
  it('finds names after their introductions, titles and closings', async () => {
    const { detectPii } = await import('../detect.js');
    const cued = (text: string) => detectPii(text, { types: ['NAME'], nlp: false }).map((detection) => text.slice(detection.start, detection.end));
    assert.deepEqual(cued('Goedemiddag, mijn naam is Zwaantje Hoekstra.'), ['Zwaantje Hoekstra']);
    assert.deepEqual(cued('Buongiorno, mi chiamo Ottavio Quaglia.'), ['Ottavio Quaglia']);
    assert.deepEqual(cued('Dzień dobry, nazywam się Bożydar Wróbel.'), ['Bożydar Wróbel']);
    assert.deepEqual(cued('Atenciosamente,\nJoaquim Xavier'), ['Joaquim Xavier']);
    assert.deepEqual(cued('Beste Grüße und bis bald'), []);
  });
});
