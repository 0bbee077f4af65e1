import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LabelChange, NewPromptVersion, PromptRegistryStore } from '../../src/core/ports/prompt-registry.js';

export interface OpenedRegistry {
  registry: PromptRegistryStore;
  /** A second handle on the same data (another node), when the adapter is shared; else the same one. */
  other: PromptRegistryStore;
  close(): Promise<void>;
}

const t0 = 1_750_000_000_000;

function draft(scope: string, name: string, text: string, at = t0): NewPromptVersion {
  return {
    scope,
    name,
    messages: [{ role: 'user', content: `${text} {{customer}}` }],
    variables: { customer: { type: 'string', required: true } },
    model: 'gpt-test',
    parameters: { temperature: 0 },
    responseSchema: null,
    description: '',
    sha256: `sha-${text}`,
    createdBy: 'admin',
    createdAt: at,
  };
}

/** One suite for every prompt-registry adapter (SQLite embedded, PostgreSQL shared). Random names per test. */
export function promptRegistryContract(name: string, open: () => Promise<OpenedRegistry>): void {
  describe(`prompt registry contract: ${name}`, () => {
    let opened: OpenedRegistry;
    before(async () => {
      opened = await open();
    });
    after(() => opened.close());
    const scope = () => `tenant:${randomBytes(4).toString('hex')}`;

    it('numbers versions per name from 1, keeps them immutable, and returns the existing version for the same content', async () => {
      const { registry } = opened;
      const s = scope();
      const first = await registry.push(draft(s, 'greet', 'Hello'));
      const second = await registry.push(draft(s, 'greet', 'Hi', t0 + 1));
      const again = await registry.push(draft(s, 'greet', 'Hello', t0 + 2));
      const otherName = await registry.push(draft(s, 'farewell', 'Bye'));
      assert.deepEqual([first.version.version, second.version.version, again.version.version, otherName.version.version], [1, 2, 1, 1]);
      assert.deepEqual([first.created, second.created, again.created], [true, true, false]);
      const stored = await registry.getVersion(s, 'greet', 1);
      assert.equal(stored?.messages[0]?.content, 'Hello {{customer}}');
      assert.deepEqual(stored?.variables, { customer: { type: 'string', required: true } });
      assert.equal(stored?.createdAt, t0);
      assert.deepEqual(
        (await registry.listVersions(s, 'greet')).map((version) => version.version),
        [2, 1],
      );
      assert.equal(await registry.getVersion(scope(), 'greet', 1), undefined, 'another scope sees nothing');
    });

    it('moves labels with an audit entry (who, when, from, to) and rolls back to the version before the last move', async () => {
      const { registry } = opened;
      const s = scope();
      await registry.push(draft(s, 'p', 'one'));
      await registry.push(draft(s, 'p', 'two'));
      await registry.push(draft(s, 'p', 'three'));
      assert.deepEqual(await registry.moveLabel({ scope: s, name: 'p', label: 'production', toVersion: 1, action: 'label', actor: 'admin', at: t0 + 10 }), {
        ok: true,
        fromVersion: null,
        toVersion: 1,
      });
      assert.deepEqual(await registry.moveLabel({ scope: s, name: 'p', label: 'production', toVersion: 3, action: 'label', actor: 'key:k1', at: t0 + 20 }), {
        ok: true,
        fromVersion: 1,
        toVersion: 3,
      });
      assert.deepEqual(await registry.moveLabel({ scope: s, name: 'p', label: 'production', toVersion: null, action: 'rollback', actor: 'admin', at: t0 + 30 }), {
        ok: true,
        fromVersion: 3,
        toVersion: 1,
      });
      const labels = await registry.labels(s, 'p');
      assert.deepEqual(labels, [{ label: 'production', version: 1, movedBy: 'admin', movedAt: t0 + 30 }]);
      const audit = await registry.audit(s, 'p', 10);
      assert.deepEqual(
        audit.map((entry) => [entry.action, entry.label, entry.fromVersion, entry.toVersion, entry.actor, entry.at]),
        [
          ['rollback', 'production', 3, 1, 'admin', t0 + 30],
          ['label', 'production', 1, 3, 'key:k1', t0 + 20],
          ['label', 'production', null, 1, 'admin', t0 + 10],
          ['push', null, null, 3, 'admin', t0],
          ['push', null, null, 2, 'admin', t0],
          ['push', null, null, 1, 'admin', t0],
        ],
      );
      const summaries = await registry.listPrompts(s);
      assert.deepEqual(
        summaries.map((summary) => [summary.name, summary.latestVersion, summary.labels]),
        [['p', 3, { production: 1 }]],
      );
    });

    it('refuses a move to a missing version and a rollback with no history, changing nothing', async () => {
      const { registry } = opened;
      const s = scope();
      await registry.push(draft(s, 'p', 'one'));
      assert.deepEqual(await registry.moveLabel({ scope: s, name: 'p', label: 'staging', toVersion: 9, action: 'label', actor: 'admin', at: t0 }), {
        ok: false,
        reason: 'no-version',
      });
      assert.deepEqual(await registry.moveLabel({ scope: s, name: 'p', label: 'staging', toVersion: null, action: 'rollback', actor: 'admin', at: t0 }), {
        ok: false,
        reason: 'no-history',
      });
      await registry.moveLabel({ scope: s, name: 'p', label: 'staging', toVersion: 1, action: 'label', actor: 'admin', at: t0 });
      assert.deepEqual(await registry.moveLabel({ scope: s, name: 'p', label: 'staging', toVersion: null, action: 'rollback', actor: 'admin', at: t0 }), {
        ok: false,
        reason: 'no-history',
      });
      assert.deepEqual(
        (await registry.audit(s, 'p', 10)).map((entry) => entry.action),
        ['label', 'push'],
      );
    });

    it('numbers versions pushed at once without gaps or duplicates', async () => {
      const { registry, other } = opened;
      const s = scope();
      const pushed = await Promise.all(Array.from({ length: 6 }, (_, index) => (index % 2 === 0 ? registry : other).push(draft(s, 'p', `text ${index}`))));
      assert.deepEqual(pushed.map((result) => result.version.version).sort(), [1, 2, 3, 4, 5, 6]);
    });

    it('announces a first version and a committed label move to watchers of every handle, and no failed move nor later version', async () => {
      const { registry, other } = opened;
      const s = scope();
      const heard: Array<LabelChange | null> = [];
      const stop = other.watchLabels((change) => heard.push(change));
      await (other as { listeningReady?: () => Promise<void> }).listeningReady?.();
      const nextNotice = () =>
        new Promise<void>((resolve) => {
          const stopWaiting = other.watchLabels((change) => {
            if (change?.scope === s) {
              stopWaiting();
              resolve();
            }
          });
        });
      // A name's first version is announced too (nodes drop a cached absence); later ones are not.
      const firstPush = nextNotice();
      await registry.push(draft(s, 'p', 'one'));
      await firstPush;
      await registry.push(draft(s, 'p', 'two'));
      heard.length = 0;
      const waitForNotice = nextNotice();
      await registry.moveLabel({ scope: s, name: 'p', label: 'staging', toVersion: 7, action: 'label', actor: 'admin', at: t0 });
      await registry.moveLabel({ scope: s, name: 'p', label: 'staging', toVersion: 1, action: 'label', actor: 'admin', at: t0 });
      await waitForNotice;
      stop();
      assert.deepEqual(
        heard.filter((change) => change?.scope === s),
        [{ scope: s, name: 'p' }],
      );
    });
  });
}
