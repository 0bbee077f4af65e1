import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { buildServer } from '../http/server.js';
import { ShopService, supportRefundYaml } from '../workflows-examples/support-refund.js';

interface Run {
  id: string;
  status: string;
  state: string;
}

/**
 * The demo's workflow part: the support-refund example on its own embedded server (its HTTP
 * tools need a webhook signing secret and the local shop allowed), on the mock model. False
 * when the demo's own flow broke.
 */
export async function workflowTour(folder: string, print: (line: string) => void): Promise<boolean> {
  const shop = await ShopService.start();
  const definition = join(folder, 'support-refund.yaml');
  writeFileSync(definition, supportRefundYaml(shop.url, 'mock'));
  const configPath = join(folder, 'workflow-demo.yaml');
  writeFileSync(
    configPath,
    JSON.stringify({
      store: { driver: 'sqlite', path: join(folder, 'workflows.db') },
      webhooks: { secrets: [{ env: 'DEMO_WEBHOOK_SECRET' }], allow: ['127.0.0.1'] },
      workflows: { files: [definition] },
      jobs: { pollMs: 50 },
      log: { level: 'warn', requests: false },
    }),
  );
  const app = await createApp(loadConfig({ path: configPath, env: { DEMO_WEBHOOK_SECRET: randomBytes(24).toString('hex') } }));
  const server = await buildServer(app);
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { secret } = await app.keys.create({ name: 'support-desk' });
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await response.json()) as T;
    };
    const settle = async (id: string): Promise<Run> => {
      for (let attempt = 0; attempt < 400; attempt++) {
        const run = await call<Run>('GET', `/v1/workflow-runs/${id}`);
        if (!['queued', 'running'].includes(run.status)) return run;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return call<Run>('GET', `/v1/workflow-runs/${id}`);
    };
    print('\n11. Workflow support-refund (classify → lookup order → propose → refund, approval above $100 → notify), mock model, a local shop service:');
    const small = await call<Run>('POST', '/v1/workflows/support-refund/runs', { input: { ticket: 'My mug arrived broken, refund please', order_id: 'A-1001' } });
    const large = await call<Run>('POST', '/v1/workflows/support-refund/runs', { input: { ticket: 'The chair is not what I ordered, refund please', order_id: 'B-2002' } });
    const smallDone = await settle(small.id);
    print(`    ${small.id} ($45): ${smallDone.status} in state ${smallDone.state}, no approval needed`);
    const waiting = await settle(large.id);
    print(`    ${large.id} ($240): ${waiting.status} in state ${waiting.state}`);
    const inbox = await call<{ data: Array<{ id: string; tool: string; args: unknown }> }>('GET', '/v1/approvals?status=pending');
    const approval = inbox.data[0];
    if (!approval) return false;
    print(`12. GET /v1/approvals → ${approval.id}: ${approval.tool} ${JSON.stringify(approval.args)}`);
    await Promise.all([
      call('POST', `/v1/approvals/${approval.id}/approve`, { by: 'lead@support', reason: 'damaged in transit' }),
      call('POST', `/v1/approvals/${approval.id}/approve`, { by: 'lead@support', reason: 'damaged in transit' }),
    ]);
    const largeDone = await settle(large.id);
    print(
      `    approved twice (a double click) → ${largeDone.status} in state ${largeDone.state}; the shop paid ${shop.refunds.size} refunds for ${shop.refundRequests} refund requests`,
    );
    const journal = await call<{ data: Array<{ seq: number; kind: string; state: string; actor: string | null }> }>('GET', `/v1/workflow-runs/${large.id}/journal`);
    print(`13. Journal of ${large.id}: ${journal.data.map((entry) => `${entry.seq}.${entry.kind}`).join(' ')}`);
    print(`    customer notices: ${shop.notifications.map((notice) => `${notice.order_id} "${notice.message}"`).join(', ')}`);
    return smallDone.status === 'succeeded' && largeDone.status === 'succeeded' && shop.refunds.size === 2;
  } finally {
    await server.close();
    await app.close();
    await shop.close();
  }
}
