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

  it('is linear on a long run of names', () => {
    const hostile = 'Maria de Maria '.repeat(70_000);
    const started = performance.now();
    assert.ok(names(hostile).length > 0);
    assert.ok(performance.now() - started < 1_000);
  });
});
