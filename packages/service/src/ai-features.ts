import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { badUserInput, ErrorCode, rateLimited, type Logger } from '@calos/kernel';
import { internalClient, InternalCallError, type InternalClient } from './internal.js';

/**
 * How a domain feature uses the ai service (SPEC §4, metered AI): generate structured JSON
 * (credits reserved by ai) → validate it with zod, asking the model once to repair an invalid
 * answer → save it as ordinary records → settle; any failure before the save releases the
 * reservation, so an unusable answer costs nothing.
 */
export interface StructuredGeneration<T, R> {
  userId: string;
  /** Names the feature in the usage log, e.g. `generateSpookyRecipe`. */
  feature: string;
  schema: z.ZodType<T>;
  system: string;
  prompt: string;
  model?: string | null;
  /** The same key again returns the first result and charges once. */
  idempotencyKey?: string | null;
  /** What an earlier request with this key saved, if anything (idempotent retries). */
  findExisting(generationId: string): Promise<R | null>;
  /** Saves the validated output; throwing releases the reservation. */
  persist(output: T, generationId: string): Promise<R>;
}

interface Generation {
  generationId: string;
  status: 'PENDING' | 'GENERATED' | 'PERSISTED' | 'SETTLED' | 'RELEASED';
  content: string | null;
  replayed: boolean;
}

export interface AiFeatures {
  generate<T, R>(request: StructuredGeneration<T, R>): Promise<R>;
}

export function aiFeatures(options: { domain: string; baseUrl: string; secret: string; logger: Logger; timeoutMs?: number }): AiFeatures {
  const client = internalClient({ caller: options.domain, service: 'ai', baseUrl: options.baseUrl, secret: options.secret, timeoutMs: options.timeoutMs ?? 180_000 });
  return { generate: (request) => generateStructured(client, options.logger, request) };
}

async function generateStructured<T, R>(client: InternalClient, logger: Logger, request: StructuredGeneration<T, R>): Promise<R> {
  const { userId } = request;
  const jsonSchema = z.toJSONSchema(request.schema, { io: 'input' }) as Record<string, unknown>;
  const messages = [
    { role: 'system', content: `${request.system}\nAnswer with JSON only, matching this JSON Schema:\n${JSON.stringify(jsonSchema)}` },
    { role: 'user', content: request.prompt },
  ];
  const call = <X>(path: string, body: unknown) => client.call<X>('post', path, body, { userId }).catch((error: unknown) => rethrowAsGraphQL(error, logger));

  const generation = await call<Generation>('/generations', {
    feature: request.feature,
    messages,
    jsonSchema,
    model: request.model ?? null,
    idempotencyKey: request.idempotencyKey ?? null,
  });
  const id = generation.generationId;
  if (generation.replayed) {
    const existing = await request.findExisting(id);
    if (existing) {
      if (generation.status !== 'SETTLED') await call(`/generations/${id}/settle`, {});
      return existing;
    }
  }

  let parsed = validate(request.schema, generation.content);
  if (!parsed.ok) {
    logger.info({ generationId: id, feature: request.feature, problems: parsed.problems }, 'AI answer invalid: asking for one repair');
    const repaired = await call<Generation>(`/generations/${id}/repair`, { problems: parsed.problems, jsonSchema, messages });
    parsed = validate(request.schema, repaired.content);
  }
  if (!parsed.ok) {
    await release(call, id, 'invalid output', true);
    throw new GraphQLError('The AI answer did not have the expected shape, even after a retry. Nothing was saved or charged; please try again.', {
      extensions: { code: ErrorCode.AI_INVALID_OUTPUT, problems: parsed.problems },
    });
  }

  let saved: R;
  try {
    saved = await request.persist(parsed.value, id);
  } catch (error) {
    await release(call, id, 'the result could not be saved', false);
    throw error;
  }
  // Charging is the saga's last step; if ai can't be reached now, its sweeper settles later.
  await call(`/generations/${id}/settle`, {}).catch((error: unknown) => logger.warn({ err: error, generationId: id }, 'settlement deferred'));
  return saved;
}

async function release(call: <X>(path: string, body: unknown) => Promise<X>, id: string, reason: string, invalidOutput: boolean): Promise<void> {
  // If this fails too, ai releases the abandoned reservation when it expires.
  await call(`/generations/${id}/release`, { reason, invalidOutput }).catch(() => {});
}

type Validated<T> = { ok: true; value: T } | { ok: false; problems: string };

function validate<T>(schema: z.ZodType<T>, content: string | null): Validated<T> {
  let json: unknown;
  try {
    json = JSON.parse(stripFences(content ?? ''));
  } catch {
    return { ok: false, problems: 'the answer is not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

/** Models often wrap JSON in a Markdown code fence. */
function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}

/** ai's refusals keep their code for the user; an unreachable ai is AI_UNAVAILABLE. */
function rethrowAsGraphQL(error: unknown, logger: Logger): never {
  if (!(error instanceof InternalCallError)) throw error;
  switch (error.code) {
    case ErrorCode.RATE_LIMITED:
      throw rateLimited(Number(error.extensions.retryAfterSeconds ?? 60));
    case ErrorCode.INSUFFICIENT_CREDITS:
      throw new GraphQLError(error.message, { extensions: { code: error.code, ...error.extensions } });
    case 'CONFLICT':
      throw badUserInput({ 'input.idempotencyKey': [error.message] });
    case ErrorCode.AI_UNAVAILABLE:
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.AI_UNAVAILABLE } });
    case ErrorCode.UNAUTHENTICATED:
      // The user's account is gone (ai checks it with identity); a refused service token is an operator's problem.
      if (error.extensions.reason === 'ACCOUNT_DELETED') throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
      logger.error({ err: error }, 'the ai service refused this service: check SERVICE_TOKEN_SECRET and AI_URL');
      throw aiUnavailable();
    default:
      // Unreachable, failing or misconfigured: the user can only try again later; the log has the cause.
      logger.error({ err: error, code: error.code, status: error.status }, 'AI call failed');
      throw aiUnavailable();
  }
}

const aiUnavailable = () => new GraphQLError('The AI service is unavailable right now. Nothing was charged.', { extensions: { code: ErrorCode.AI_UNAVAILABLE } });
