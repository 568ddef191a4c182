import express, { type Router } from 'express';
import type { z } from 'zod';
import { REQUEST_ID_HEADER, SERVICE_TOKEN_HEADER, signServiceToken, verifyServiceToken, InvalidTokenError } from '@calos/auth';
import { ErrorCode, fieldErrorsFromZod, type Logger } from '@calos/kernel';
import { currentRequestId, requestIdMiddleware, requestIdOf } from './http.js';

/**
 * Internal (service-to-service) JSON endpoints under `/internal`: never routed by the
 * gateway, each call authenticated with a service token naming the caller, each route
 * open only to the callers it lists. Responses: `{ data }` or `{ error: { code, message,
 * extensions } }` with an HTTP status.
 */
export interface InternalCall {
  caller: string;
  /** The user the caller acts for (from the token), when any. */
  userId?: string;
  requestId: string;
}

export interface InternalRoute<I = unknown, O = unknown> {
  method: 'get' | 'post';
  /** Express path, e.g. `/credits/reservations/:id/release`; params join the input. */
  path: string;
  callers: readonly string[];
  input: z.ZodType<I>;
  handle(input: I, call: InternalCall): Promise<O>;
}

/** An error an internal route answers with (a stable code the caller can act on). */
export class InternalError extends Error {
  override name = 'InternalError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 409,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const internalRoute = <I, O>(route: InternalRoute<I, O>): InternalRoute => route;

export function internalRouter(options: { service: string; secret: string; logger: Logger; routes: InternalRoute[] }): Router {
  const router = express.Router();
  router.use(requestIdMiddleware(requestIdOf), express.json({ limit: '1mb' }));
  for (const route of options.routes) {
    router[route.method](route.path, async (req, res) => {
      const requestId = currentRequestId() ?? requestIdOf(req);
      let call: InternalCall;
      try {
        const claims = await verifyServiceToken(options.secret, req.header(SERVICE_TOKEN_HEADER), { audience: options.service, callers: route.callers });
        call = { caller: claims.caller, userId: claims.userId, requestId };
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        options.logger.warn({ path: req.path, requestId }, 'rejected internal call without a valid service token');
        res.status(401).json({ error: { code: ErrorCode.UNAUTHENTICATED, message: error.message } });
        return;
      }
      const raw = { ...(route.method === 'get' ? req.query : (req.body as object)), ...req.params };
      const parsed = route.input.safeParse(raw);
      if (!parsed.success) {
        res.status(400).json({ error: { code: ErrorCode.BAD_USER_INPUT, message: 'Invalid internal request.', extensions: { fields: fieldErrorsFromZod(parsed.error) } } });
        return;
      }
      try {
        res.json({ data: await route.handle(parsed.data, call) });
      } catch (error) {
        if (error instanceof InternalError) {
          res.status(error.status).json({ error: { code: error.code, message: error.message, extensions: error.extensions } });
          return;
        }
        options.logger.error({ err: error, path: req.path, caller: call.caller, requestId }, 'internal call failed');
        res.status(500).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: `Internal error (request ${requestId}).` } });
      }
    });
  }
  return router;
}

/** What a failed internal call reports: the callee's code, or SERVICE_UNAVAILABLE when it could not be reached. */
export class InternalCallError extends Error {
  override name = 'InternalCallError';
  constructor(
    readonly service: string,
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

export interface InternalClientOptions {
  /** This service (the token's issuer). */
  caller: string;
  /** The service called (the token's audience). */
  service: string;
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
}

export interface InternalClient {
  call<T>(method: 'get' | 'post', path: string, body?: unknown, options?: { userId?: string; timeoutMs?: number }): Promise<T>;
}

export function internalClient(options: InternalClientOptions): InternalClient {
  const base = options.baseUrl.replace(/\/$/, '');
  return {
    async call<T>(method: 'get' | 'post', path: string, body?: unknown, callOptions: { userId?: string; timeoutMs?: number } = {}): Promise<T> {
      const token = await signServiceToken(options.secret, { caller: options.caller, audience: options.service, userId: callOptions.userId });
      const headers: Record<string, string> = { [SERVICE_TOKEN_HEADER]: token, accept: 'application/json' };
      const requestId = currentRequestId();
      if (requestId) headers[REQUEST_ID_HEADER] = requestId;
      let url = `${base}/internal${path}`;
      if (method === 'get' && body && typeof body === 'object') {
        url += `?${new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
      } else if (method === 'post') {
        headers['content-type'] = 'application/json';
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method: method.toUpperCase(),
          headers,
          body: method === 'post' ? JSON.stringify(body ?? {}) : undefined,
          signal: AbortSignal.timeout(callOptions.timeoutMs ?? options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new InternalCallError(options.service, SERVICE_UNAVAILABLE, `${options.service} could not be reached: ${(error as Error).message}`, 503);
      }
      const payload = (await response.json().catch(() => null)) as { data?: T; error?: { code: string; message: string; extensions?: Record<string, unknown> } } | null;
      if (response.ok && payload && 'data' in payload) return payload.data as T;
      const error = payload?.error;
      throw new InternalCallError(
        options.service,
        error?.code ?? SERVICE_UNAVAILABLE,
        error?.message ?? `${options.service} answered HTTP ${response.status}`,
        response.status,
        error?.extensions ?? {},
      );
    },
  };
}
