/**
 * The server side of `npm run bench:clients`: a plain Node HTTP server (no Nest, no session
 * library) whose handler makes the Redis calls of one mode, so the table shows what the Redis
 * client alone costs the app per request. Reports its port and CPU over IPC.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

export const CLIENT_MODES = [
  'no Redis call',
  'ioredis GET',
  'node-redis GET',
  'ioredis GET + EXPIRE',
  'node-redis GET + EXPIRE',
] as const;
export type ClientMode = (typeof CLIENT_MODES)[number];

async function handlerFor(mode: ClientMode, url: string): Promise<RequestListener> {
  const done: RequestListener = (_req, res) => {
    res.end('ok');
  };
  if (mode === 'no Redis call') {
    return done;
  }
  // ioredis as RedisStore opens its own connections (auto-pipelining on); node-redis as is.
  const client = mode.startsWith('ioredis')
    ? new Redis(url, { enableAutoPipelining: true })
    : await createClient({ url }).connect();
  await client.set('k', 'v');
  const expireToo = mode.endsWith('+ EXPIRE');
  return (req, res) => {
    const read = client.get('k');
    void (expireToo ? read.then(() => client.expire('k', 600)) : read).then(() => done(req, res));
  };
}

async function main(): Promise<void> {
  const mode = process.env.BENCH_CLIENT_MODE as ClientMode;
  const server = createServer(await handlerFor(mode, process.env.BENCH_REDIS_URL ?? ''));
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: usage.user + usage.system });
    } else if (message.type === 'stop') {
      process.exit(0);
    }
  });
}

if (require.main === module) {
  void main();
}
