import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  const open = () => {
    const database = new Database(':memory:');
    database.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    return { database, writes: new GroupCommit(database) };
  };

  it('commits the writes of one turn in one transaction and resolves each with its value', async () => {
    const { database, writes } = open();
    const insert = database.prepare('INSERT INTO t (v) VALUES (?) RETURNING id').pluck();
    const ids = await Promise.all(['a', 'b', 'c'].map((v) => writes.run(() => insert.get(v))));
    assert.deepEqual(ids, [1, 2, 3]);
    assert.equal(writes.commits, 1, 'one commit for the three writes');
  });

  it('rolls back only the write that threw, including its own earlier statements', async () => {
    const { database, writes } = open();
    const insert = database.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    const results = await Promise.allSettled([
      writes.run(() => insert.run(1, 'kept')),
      writes.run(() => {
        insert.run(2, 'rolled back with its write');
        insert.run(1, 'duplicate id: throws');
      }),
      writes.run(() => insert.run(3, 'kept too')),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(database.prepare('SELECT id, v FROM t ORDER BY id').all(), [
      { id: 1, v: 'kept' },
      { id: 3, v: 'kept too' },
    ]);
  });

  it('rejects every write of a batch whose commit fails', async () => {
    const { database, writes } = open();
    const pending = writes.run(() => database.prepare('INSERT INTO t (v) VALUES (?)').run('x'));
    database.close();
    await assert.rejects(pending);
  });
});
