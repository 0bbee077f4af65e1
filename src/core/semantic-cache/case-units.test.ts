import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anchorsAgree, extractAnchors } from './anchors.js';
import { normaliseText } from './normalise.js';

const agree = (a: string, b: string) => anchorsAgree(extractAnchors(a), new Set(normaliseText(a).split(' ')), extractAnchors(b), new Set(normaliseText(b).split(' ')));

describe('unit symbols and identifiers keep their letter case', () => {
  it('refuses units that differ only in case', () => {
    for (const [a, b] of [
      ['Is 100 Mb enough for the upload?', 'Is 100 MB enough for the upload?'],
      ['Is 100 mb enough for the upload?', 'Is 100 MB enough for the upload?'],
      ['Is 100MB enough?', 'Is 100Mb enough?'],
      ['Does the sensor draw 10 mA in standby?', 'Does the sensor draw 10 MA in standby?'],
      ['How fast is a 100 Mbps line?', 'How fast is a 100 MBps line?'],
      ['How many Mb are in a GB?', 'How many MB are in a GB?'],
      ['Is 5 ms of latency noticeable?', 'Is 5 Ms of latency noticeable?'],
    ])
      assert.equal(agree(a!, b!), false, `${a} / ${b}`);
  });

  it('agrees on the same unit spelled out or as its symbol', () => {
    assert.equal(agree('Is 100 MB enough?', 'Is 100 megabytes enough?'), true);
    assert.equal(agree('Is 100 Mbit enough?', 'Is 100 megabits enough?'), true);
    assert.equal(agree('Go to settings and open the 2 GB folder', 'go to settings and open the 2 GB folder'), true, '"Go" opening a sentence is no unit');
  });

  it('binds an amount to its unit or currency', () => {
    assert.equal(agree('Convert 100 USD to EUR', 'How many USD is 100 EUR?'), false);
    assert.equal(agree('Convert 100 USD to EUR', 'convert $100 to EUR'), true);
    assert.equal(agree('How long to walk 5 km in miles?', 'How long to walk 5 miles in km?'), false);
  });

  it('refuses identifiers that differ in case beyond a capital first letter', () => {
    assert.equal(agree('What is the status of order ABC123?', 'What is the status of order abc123?'), false);
    assert.equal(agree('How do I read a file in Node.js?', 'How do I read a file in node.js?'), true);
  });
});
