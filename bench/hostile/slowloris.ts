import { connect } from 'node:net';

export interface SlowClientResult {
  kind: 'slow headers' | 'slow body';
  /** The status the server answered before closing, 0 when it closed without one. */
  status: number;
  /** From the first byte sent to the server closing the connection; null when the bench gave up first. */
  closedAfterMs: number | null;
}

/**
 * A slowloris client: sends a request one byte every `byteEveryMs`, never finishing it, and
 * waits for the server to answer and close. A server with a request timeout closes it (408)
 * once the timeout passes; one without keeps it open until the bench gives up at `giveUpMs`.
 */
export function slowClient(port: number, kind: SlowClientResult['kind'], key: string, byteEveryMs: number, giveUpMs: number): Promise<SlowClientResult> {
  const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n`;
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    const trickle = setInterval(() => {
      if (!socket.writable) return;
      // Slow headers never finish the header block; a slow body sends it whole, then trickles the body.
      socket.write(kind === 'slow headers' ? 'X' : sent++ === 0 ? `${head}\r\n{` : ' ');
    }, byteEveryMs);
    const giveUp = setTimeout(() => finish(null), giveUpMs);
    const finish = (closedAfterMs: number | null) => {
      clearInterval(trickle);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ kind, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), closedAfterMs });
    };
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(performance.now() - started));
    if (kind === 'slow headers') socket.write(head);
  });
}
