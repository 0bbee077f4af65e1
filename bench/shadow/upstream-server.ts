/**
 * The model both sides of bench:shadow call: an OpenAI-compatible server in its own process
 * (its CPU stays out of the measured process). Every answer is a 10-field JSON record for the
 * ticket number in the prompt; `gpt-candidate` changes the fields `truth.ts` says it gets
 * wrong, and writes the rest in another spelling that still agrees (case, spaces, float noise
 * within the tolerance). Answers after `latencyMs`. Prints its port on stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { candidateRecord, primaryRecord } from './truth.js';

const latencyMs = Number(process.argv[2] ?? 20);

const server = createServer((request, response) => {
  let text = '';
  request.on('data', (chunk) => (text += chunk));
  request.on('end', () => {
    const body = JSON.parse(text) as { model: string; messages: Array<{ content: string }> };
    const n = Number(/ticket (\d+)/.exec(body.messages.at(-1)!.content)?.[1] ?? 0);
    const record = body.model === 'gpt-candidate' ? candidateRecord(n) : primaryRecord(n);
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: `chatcmpl-${n}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(record) }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 40, completion_tokens: 60, total_tokens: 100 },
        }),
      );
    }, latencyMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
