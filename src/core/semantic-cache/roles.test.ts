import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractRoles, maxRoleTokens, rolesAgree } from './roles.js';

const agree = (a: string, b: string) => rolesAgree(extractRoles(a), extractRoles(b));

describe('rolesAgree: who does what to whom', () => {
  it('refuses operands in the other order around an operator', () => {
    for (const [a, b] of [
      ['What is 10 minus 3?', 'What is 3 minus 10?'],
      ['What is 48 - 19?', 'What is 19 - 48?'],
      ['Divide 100 by 8', 'Divide 8 by 100'],
      ['Subtract 15 from 40', 'Subtract 40 from 15'],
      ['Wie viel ist 12 geteilt durch 4?', 'Wie viel ist 4 geteilt durch 12?'],
      ['¿Cuánto es 20 menos 7?', '¿Cuánto es 7 menos 20?'],
    ])
      assert.equal(agree(a!, b!), false, `${a} / ${b}`);
  });

  it('refuses from/to, into/onto and subject/object swapped', () => {
    for (const [a, b] of [
      ['How do I merge develop into main?', 'How do I merge main into develop?'],
      ['How do I rebase feature onto master?', 'How do I rebase master onto feature?'],
      ['How do I copy files from the server to my laptop?', 'How do I copy files from my laptop to the server?'],
      ['How do I redirect http to https in nginx?', 'How do I redirect https to http in nginx?'],
      ['Can a tenant sue the landlord for mold?', 'Can a landlord sue the tenant for mold?'],
      ['Does the manager have to approve the employee request?', 'Does the employee have to approve the manager request?'],
      ['Comment transférer des fichiers du téléphone vers l’ordinateur ?', 'Comment transférer des fichiers de l’ordinateur vers le téléphone ?'],
      ['Hoe zet ik geld over van mijn spaarrekening naar mijn betaalrekening?', 'Hoe zet ik geld over van mijn betaalrekening naar mijn spaarrekening?'],
    ])
      assert.equal(agree(a!, b!), false, `${a} / ${b}`);
  });

  it('refuses a thing moved from one role to the other (into the folder / from the folder)', () => {
    assert.equal(agree('How do I move emails into the archive folder?', 'How do I move emails from the archive folder?'), false);
    assert.equal(agree('Flights to Paris this weekend', 'Flights from Paris this weekend'), false);
  });

  it('lets rewordings through: a phrase moved to the front, things joined by "and" in either order, the same roles', () => {
    for (const [a, b] of [
      ['Can I pay with PayPal at checkout?', 'At checkout, can I pay with PayPal?'],
      ['How long does shipping take to Canada?', 'Shipping to Canada, how long does it take?'],
      ['What is the difference between a loan and a lease?', "What's the difference between a lease and a loan?"],
      ['How do I move emails from my inbox to the archive?', 'How do I move emails to the archive from my inbox?'],
      ['How do I merge develop into main?', 'what is the way to merge develop into main'],
    ])
      assert.equal(agree(a!, b!), true, `${a} / ${b}`);
  });

  it('keeps at most maxRoleTokens keys; past them the arguments must come in the same order', () => {
    const filler = Array.from({ length: 80 }, (_, index) => `word${index}`).join(' ');
    const long = extractRoles(`${filler} 10 minus 3`);
    assert.equal(long.keys.length, maxRoleTokens);
    assert.equal(long.truncated, true);
    assert.equal(rolesAgree(long, extractRoles(`${filler} 3 minus 10`)), true, 'the swap sits past the cap, in keys neither prompt kept');
    assert.equal(rolesAgree(long, extractRoles(`word1 word0 ${filler}`)), false);
  });

  it('bounded work: two 8 KB prompts of one repeated word compare in well under a second', () => {
    const big = 'a '.repeat(4096) + 'x '.repeat(4096);
    const started = performance.now();
    for (let round = 0; round < 100; round++) rolesAgree(extractRoles(big), extractRoles(big));
    assert.ok(performance.now() - started < 1000);
  });
});
