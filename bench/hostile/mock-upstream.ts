/**
 * The provider behind the server under attack, in its own process so its work never shares
 * an event loop with the server or the bench: test/support's OpenAI-compatible upstream
 * (chat, SSE and embeddings) with a fixed reply, keeping no record of what it was sent.
 * Prints `upstream <url>` once it listens.
 *
 *   node --import tsx bench/hostile/mock-upstream.ts
 */
import { answer, OpenAIUpstream } from '../../test/support/openai-upstream.js';

const upstream = await OpenAIUpstream.start((request, response) => {
  // One array of token ids is one input, as OpenAI reads it (the test double answers a vector per id).
  const input = request.body.input;
  if (Array.isArray(input) && input.some((item) => typeof item === 'number')) request.body.input = [input];
  // A hostile message need not have text to echo; the reply is fixed.
  answer(request, response, 'hostile bench reply');
  // The storm sends megabytes of bodies; the recorder must not keep them.
  upstream.requests.length = 0;
  return true;
});
process.stdout.write(`upstream ${upstream.url}\n`);
process.on('SIGTERM', () => void upstream.close().finally(() => process.exit(0)));
