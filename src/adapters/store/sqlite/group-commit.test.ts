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

  it('commits writes carrying megabytes in separate turns, letting I/O run between them', async () => {
    const database = new Database(':memory:');
    database.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
    const writes = new GroupCommit(database, 512, 1024 * 1024);
    const insert = database.prepare('INSERT INTO t (v) VALUES (?)');
    const blob = Buffer.alloc(700 * 1024, 1);
    let turnsBetween = 0;
    const counting = setInterval(() => turnsBetween++, 0);
    const commitsSeen: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map((index) =>
        writes
          .run(() => insert.run(blob), blob.byteLength)
          .then(() => {
            commitsSeen[index] = writes.commits;
          }),
      ),
    );
    clearInterval(counting);
    // 1 MB a batch: two 700 KB writes each, in two commits with a turn of the loop between them.
    assert.deepEqual(commitsSeen, [1, 1, 2, 2]);
    assert.ok(turnsBetween >= 1, 'a timer ran between the two commits');
    assert.equal((database.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 4);
  });

  it('flushes everything at once when closing', () => {
    const database = new Database(':memory:');
    database.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
    const writes = new GroupCommit(database, 512, 1024);
    const insert = database.prepare('INSERT INTO t (v) VALUES (?)');
    for (let index = 0; index < 3; index++) void writes.run(() => insert.run(Buffer.alloc(2048)), 2048);
    writes.flush(true);
    assert.equal((database.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 3);
  });
});
