import { randomBytes } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { inject } from 'vitest';
import { aiEnvSchema, startAiService, type AiService } from '@calos/ai';
import { createLogger, parseEnv } from '@calos/kernel';
import { TEST_REDIS_URL } from './redis.js';
import type { TestSupergraph } from './supergraph.js';

/**
 * Another ai replica beside a test supergraph's: its own process state (pool, caches,
 * limiter instances), the same database, Redis namespace and secrets.
 */
export async function startAiReplica(stack: TestSupergraph, env: Record<string, string | undefined> = {}): Promise<AiService> {
  const parsed = parseEnv('ai', aiEnvSchema, {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    GATEWAY_SECRET: stack.gatewaySecret,
    SERVICE_TOKEN_SECRET: stack.serviceSecret,
    IDENTITY_JWKS_URL: stack.subgraphs.identity!.jwksUrl,
    IDENTITY_URL: stack.subgraphs.identity!.url,
    AI_DATABASE_URL: stack.databases.ai!.url,
    REDIS_URL: stack.transport.kind === 'redis' ? TEST_REDIS_URL : undefined,
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    AI_KEY_ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
    ...env,
  });
  return startAiService({ env: parsed, databaseUrl: stack.databases.ai!.url, transport: stack.transport, host: '127.0.0.1', logger: createLogger('ai-replica', 'silent') });
}

/** A TCP proxy to `target` that a test can cut (refusing and resetting connections) and restore: a service becoming unreachable. */
export interface CuttableProxy {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!open) return void client.resetAndDestroy();
    const upstream = new Socket();
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.connect(Number(port), hostname, () => client.pipe(upstream).pipe(client));
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      open = false;
      for (const socket of sockets) socket.resetAndDestroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
