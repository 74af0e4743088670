// A seeded fault-injecting HTTP proxy for tests: in front of one upstream server it drops,
// resets or 500s a fraction of requests and delays the others. Bounded: the same request body is
// faulted at most `maxFaultsPerRequest` times, so every call succeeds within that many retries.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxyOptions {
  /** upstream origin, e.g. http://127.0.0.1:8000 */
  upstream: string;
  seed: number;
  /** share of requests that fail (default 0.2) */
  faultRate?: number;
  /** the others wait up to this long before being forwarded (default 20 ms) */
  maxDelayMs?: number;
  maxFaultsPerRequest?: number;
}

export interface FaultProxy {
  /** the proxy's base URL (…/v1) */
  url: string;
  counts: { drop: number; reset: number; error500: number; forwarded: number };
  faults(): number;
  close(): Promise<void>;
}

/** mulberry32: small, seeded, good enough to pick faults */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = prng(options.seed);
  const rate = options.faultRate ?? 0.2;
  const maxDelay = options.maxDelayMs ?? 20;
  const maxFaults = options.maxFaultsPerRequest ?? 2;
  const upstream = new URL(options.upstream);
  const faultsPerBody = new Map<string, number>();
  const counts = { drop: 0, reset: 0, error500: 0, forwarded: 0 };
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = createHash('sha256').update(`${req.method} ${req.url} `).update(body).digest('hex');
      const roll = random();
      const kind = random();
      const already = faultsPerBody.get(key) ?? 0;
      if (roll < rate && already < maxFaults) {
        faultsPerBody.set(key, already + 1);
        if (kind < 1 / 3) {
          counts.drop++;
          req.socket.destroy();
        } else if (kind < 2 / 3) {
          counts.reset++;
          req.socket.resetAndDestroy();
        } else {
          counts.error500++;
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"injected fault","type":"server_error"}}');
        }
        return;
      }
      setTimeout(() => {
        counts.forwarded++;
        const out = http.request(
          { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, agent },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        out.on('error', () => res.destroy());
        out.end(body);
      }, random() * maxDelay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    counts,
    faults: () => counts.drop + counts.reset + counts.error500,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
