import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { childEnv, repository } from '../support/processes.js';
import { listenOnSocket, mockModelConfig, startTestApp, type TestApp, waitFor } from '../support/test-app.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('../workflows/fixtures/refund-workflow.ts', import.meta.url));

/** `breakwater workflows run|ls|show|approvals|approve|reject` as a user runs them, against a real server on a socket. */
describe('breakwater workflows (CLI against a running server)', () => {
  let test: TestApp;
  let url: string;
  let key: string;
  const breakwater = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'workflows', ...args, '--url', url, '--key', key], { cwd: repository, env: childEnv() });

  before(async () => {
    test = await startTestApp({ ...mockModelConfig, workflows: { files: [fixture] }, jobs: { pollMs: 50 } });
    key = await test.key();
    url = `http://127.0.0.1:${await listenOnSocket(test)}`;
  });
  after(async () => {
    test?.server.server.closeAllConnections();
    await test?.close();
  });

  const status = async (id: string) => (await test.app.store.workflows.getRun(id))?.status;

  it('runs a workflow until it waits, lists runs and approvals, approves with edited arguments, shows the journal', async () => {
    const started = await breakwater('run', 'refund', '--input', '{"order_id":"C-1","amount":250}', '--wait');
    const id = /^(run_\w+): /.exec(started.stdout)?.[1];
    assert.ok(id, started.stdout);
    assert.match(started.stdout, new RegExp(`${id}: waiting_approval in state pay`));

    const listed = await breakwater('ls');
    assert.match(listed.stdout, new RegExp(`${id}\\s+refund@1\\s+waiting_approval\\s+pay`));
    const json = JSON.parse((await breakwater('ls', '--status', 'waiting_approval', '--json')).stdout) as { data: Array<{ id: string }> };
    assert.deepEqual(
      json.data.map((item) => item.id),
      [id],
    );

    const approvals = await breakwater('approvals');
    const approval = new RegExp(`(apr_\\w+)\\s+${id}\\s+pay_refund`).exec(approvals.stdout)?.[1];
    assert.ok(approval, approvals.stdout);

    const approved = await breakwater('approve', approval, '--by', 'ana', '--reason', 'damaged', '--args', '{"order_id":"C-1","amount":200}');
    assert.match(approved.stdout, new RegExp(`${approval}: approved by ana \\(run ${id}\\)`));
    await waitFor(async () => (await status(id)) === 'succeeded');

    const shown = await breakwater('show', id);
    assert.match(shown.stdout, new RegExp(`${id}\\s+refund@1\\s+succeeded\\s+state refunded`));
    assert.match(shown.stdout, /#5\s+approval-decision\s+pay\s+ana/);
    const detail = JSON.parse((await breakwater('show', id, '--json')).stdout) as { run: { context: { refund: { amount: number } } }; journal: Array<{ kind: string }> };
    assert.equal(detail.run.context.refund.amount, 200, 'the edited amount was paid');
    assert.equal(detail.journal.filter((entry) => entry.kind === 'tool-result').length, 2);
  });

  it('rejects an approval (the run goes to its onReject state) and reports errors with their code and a non-zero exit', async () => {
    const started = await breakwater('run', 'refund', '--input', '{"order_id":"C-2","amount":900}', '--wait');
    const id = /^(run_\w+): /.exec(started.stdout)![1]!;
    const approval = new RegExp(`(apr_\\w+)\\s+${id}`).exec((await breakwater('approvals')).stdout)![1]!;
    assert.match((await breakwater('reject', approval, '--by', 'bo', '--reason', 'fraud')).stdout, new RegExp(`${approval}: rejected by bo`));
    await waitFor(async () => (await status(id)) === 'succeeded');
    assert.match((await breakwater('show', id)).stdout, /succeeded\s+state declined/);
    await assert.rejects(breakwater('approve', approval, '--by', 'ana'), /APPROVAL_ALREADY_DECIDED/);
    await assert.rejects(breakwater('run', 'nope'), /WORKFLOW_NOT_FOUND/);
    await assert.rejects(breakwater('run', 'refund', '--input', '{"order_id":1}'), /WORKFLOW_INPUT_INVALID/);
  });
});
