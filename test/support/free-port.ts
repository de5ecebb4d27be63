import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (never 6379, which belongs to someone else's Redis). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    // Cluster nodes also use port + 10000 for their bus; keep both in range.
    if (port !== 6379 && port !== 0 && port < 55535) {
      return port;
    }
  }
}
