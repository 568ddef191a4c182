import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from '@calos/auth';
import { currentRequestId, requestScope } from '@calos/kernel';

export interface ReadinessCheck {
  name: string;
  check(): Promise<Record<string, unknown> | void>;
}

export interface ReadinessReport {
  status: 'ready' | 'unavailable';
  service: string;
  checks: Array<{ name: string; ok: boolean; ms: number; error?: string } & Record<string, unknown>>;
}

export async function runReadiness(service: string, checks: ReadinessCheck[], timeoutMs = 3000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, ...probe }) => {
      const started = performance.now();
      try {
        const detail = await Promise.race([
          probe.check(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
        ]);
        return { name, ok: true, ms: Math.round(performance.now() - started), ...(detail ?? {}) };
      } catch (error) {
        return { name, ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
      }
    }),
  );
  return { status: results.every((r) => r.ok) ? 'ready' : 'unavailable', service, checks: results };
}

export { currentRequestId, requestScope };

/** Runs the rest of the request inside its scope and echoes the id in `x-request-id`. */
export function requestIdMiddleware(assign: (req: Request) => string): RequestHandler {
  return (req, res, next) => {
    const requestId = assign(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    requestScope.run({ requestId }, next);
  };
}

/** The request id the gateway assigned (or a new one for a direct call). */
export function requestIdOf(req: Request): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w-]{8,64}$/.test(value) ? value : randomUUID();
}

/** An express app with `/health` and `/ready`, the routes every service has (SPEC §6). */
export function createServiceApp(service: string, readiness: ReadinessCheck[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/ready', async (_req, res) => {
    const report = await runReadiness(service, readiness);
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  return app;
}

export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express | Server, port: number, host = '0.0.0.0'): Promise<Listening> {
  const server = 'listen' in app && !('use' in app) ? app : createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
