import { randomUUID } from 'node:crypto';
import { ErrorCode, type Logger } from '@calos/kernel';
import { InternalCallError, InternalError } from '@calos/service';
import { Prisma, type AiGeneration, type AiOutcome, type PrismaClient } from './generated/prisma/client.js';
import type { ApiKeys } from './api-keys.js';
import { actualCost, estimateTokens, isMetered, maxCost, priceOf, type Pricing, type Provider } from './catalog.js';
import type { IdentityCredits } from './identity.js';
import { byokChat, providerOfModel, type Provider as ByokProvider } from './llm/byok.js';
import type { OllamaPool } from './llm/ollama-pool.js';
import { LlmProviderError, LlmUnavailableError, type ChatMessage, type ChatResult } from './llm/types.js';
import { RateLimitedError, type UserRateLimits } from './rate-limits.js';

/** A refusal with a stable code, for GraphQL (`chat`) and the internal API (domain features) alike. */
export class AiError extends InternalError {
  override name = 'AiError';
}

const unavailable = (message: string) => new AiError(ErrorCode.AI_UNAVAILABLE, message, 503);

/** Where a request goes: a pool model, or a premium model on the user's own key (with the free fallback). */
export type Route =
  | { kind: 'pool'; model: string }
  | { kind: 'byok'; provider: ByokProvider; model: string; keyId: string; fallbackModel: string | null };

export interface GenerateInput {
  userId: string;
  domain: string;
  feature: string;
  messages: ChatMessage[];
  /** JSON Schema of the structured answer (domain features); unset for free text (chat). */
  jsonSchema?: Record<string, unknown>;
  model?: string | null;
  /** The same key again returns the same generation and charges once. */
  idempotencyKey?: string | null;
  requestId?: string;
}

export interface GenerationView {
  generationId: string;
  status: AiGeneration['status'];
  content: string | null;
  model: string;
  provider: string;
  /** Reserved while pending, charged once settled. */
  credits: number;
  attempts: number;
  /** An earlier request with this idempotency key produced it. */
  replayed: boolean;
  promptTokens: number;
  completionTokens: number;
}

export interface EngineSettings {
  defaultModel: string;
  pricing: Pricing;
  maxOutputTokens: number;
  reservationTtlSeconds: number;
  baseUrls: Record<ByokProvider, string>;
  byokTimeoutMs: number;
}

const view = (g: AiGeneration, replayed: boolean): GenerationView => ({
  generationId: g.id,
  status: g.status,
  content: g.content,
  model: g.model,
  provider: g.provider,
  credits: g.status === 'SETTLED' ? g.chargedCredits : g.reservedCredits,
  attempts: g.attempts,
  replayed,
  promptTokens: g.promptTokens,
  completionTokens: g.completionTokens,
});

/**
 * The metered-AI saga on the ai side: rate limit → reserve credits (identity) → generate
 * (pool or BYOK) → [the domain persists] → settle the actual cost, or release the
 * reservation when any step fails or is abandoned. The generation row is the saga's state;
 * `sweep()` finishes what a crash left behind.
 */
export class AiEngine {
  constructor(
    private readonly deps: {
      db: PrismaClient;
      pool: OllamaPool;
      keys: ApiKeys;
      identity: IdentityCredits;
      limits: UserRateLimits;
      settings: EngineSettings;
      logger: Logger;
    },
  ) {}

  /** The route for a requested model (or the user's preference, or the default). */
  async route(userId: string, requested?: string | null): Promise<Route> {
    const { db, keys, settings } = this.deps;
    const preference = await db.modelPreference.findUnique({ where: { userId } });
    const model = requested || preference?.model || settings.defaultModel;
    const provider = providerOfModel(model);
    if (!provider) return { kind: 'pool', model };
    const fallbackModel = preference?.fallbackModel ?? null;
    const keyId = await keys.activeKeyId(userId, provider);
    // Premium models run on the user's own key; without one, the free pool answers.
    if (!keyId) return { kind: 'pool', model: fallbackModel ?? settings.defaultModel };
    return { kind: 'byok', provider, model, keyId, fallbackModel };
  }

  /** Step 1–3: refuses fast (unavailable, rate limited, short of credits), else reserves and generates once. */
  async generate(input: GenerateInput, options: { settleIfFree?: boolean } = {}): Promise<GenerationView> {
    const { db, identity, limits, logger } = this.deps;
    const idempotencyKey = input.idempotencyKey ?? randomUUID();
    // A fresh random key cannot exist yet.
    const existing = input.idempotencyKey ? await db.aiGeneration.findUnique({ where: { userId_idempotencyKey: { userId: input.userId, idempotencyKey } } }) : null;
    if (existing && existing.status !== 'RELEASED') {
      if (existing.status === 'PENDING') throw new AiError('CONFLICT', 'A request with this idempotency key is still running.', 409);
      return view(existing, true);
    }

    const route = await this.route(input.userId, input.model);
    const usage = { userId: input.userId, domain: input.domain, feature: input.feature, requestId: input.requestId };
    // Nothing to run it on: answer at once, before any limit or credit is touched.
    if (route.kind === 'pool' && !this.deps.pool.hasModel(route.model)) {
      await this.record({ ...usage, provider: 'ollama', model: route.model, outcome: 'UNAVAILABLE', errorCode: ErrorCode.AI_UNAVAILABLE });
      throw unavailable(`No AI model is available for "${route.model}" right now.`);
    }

    try {
      await limits.consume(input.userId, await identity.plan(input.userId));
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      await this.record({ ...usage, provider: providerName(route), model: route.model, outcome: 'RATE_LIMITED', errorCode: ErrorCode.RATE_LIMITED });
      throw new AiError(ErrorCode.RATE_LIMITED, error.message, 429, { retryAfterSeconds: error.retryAfterSeconds });
    }

    const price = priceOf(this.deps.settings.pricing, route.model);
    const promptTokens = estimateTokens(input.messages.map((m) => m.content).join('\n'));
    const reserve = isMetered(price) ? maxCost(price, promptTokens, this.deps.settings.maxOutputTokens, input.jsonSchema ? 2 : 1) : 0;
    const generation = await this.claim(input, idempotencyKey, route, reserve, existing);

    if (reserve > 0) {
      try {
        const reservation = await identity.reserve({
          userId: input.userId,
          amount: reserve,
          // A revived (earlier released) generation reserves afresh.
          idempotencyKey: `ai:${generation.id}:${generation.updatedAt.getTime()}`,
          ttlSeconds: this.deps.settings.reservationTtlSeconds + 60,
          reason: `AI ${input.domain}/${input.feature} (${route.model})`,
        });
        await db.aiGeneration.update({ where: { id: generation.id }, data: { reservationId: reservation.reservationId } });
        generation.reservationId = reservation.reservationId;
      } catch (error) {
        await db.aiGeneration.update({ where: { id: generation.id }, data: { status: 'RELEASED' } });
        if (error instanceof InternalCallError && error.code === ErrorCode.INSUFFICIENT_CREDITS) {
          await this.record({ ...usage, generationId: generation.id, provider: providerName(route), model: route.model, outcome: 'INSUFFICIENT_CREDITS', errorCode: error.code });
          const balance = typeof error.extensions.balance === 'number' ? error.extensions.balance : null;
          throw new AiError(ErrorCode.INSUFFICIENT_CREDITS, `This needs ${reserve} credits; your balance is ${balance ?? 'lower'}.`, 402, { required: reserve, balance });
        }
        logger.error({ err: error, generationId: generation.id }, 'credit reservation failed');
        throw unavailable('Credits could not be reserved right now. Nothing was charged.');
      }
    }

    return this.attempt(generation, route, input.messages, input.jsonSchema, usage, Boolean(options.settleIfFree) && !generation.reservationId);
  }

  /** Step 3 again, once: the domain's validation failed; the model gets its answer and the problems back. */
  async repair(userId: string, generationId: string, problems: string, jsonSchema?: Record<string, unknown>, messages?: ChatMessage[]): Promise<GenerationView> {
    const generation = await this.owned(userId, generationId);
    if (generation.status !== 'GENERATED') throw new AiError('CONFLICT', `This generation is ${generation.status.toLowerCase()} and cannot be repaired.`, 409);
    await this.markInvalid(generationId);
    const route = await this.route(userId, generation.model);
    const repairMessages: ChatMessage[] = [
      ...(messages ?? []),
      { role: 'assistant', content: generation.content ?? '' },
      { role: 'user', content: `Your answer was not valid: ${problems}\nReply again with only the corrected JSON that matches the schema.` },
    ];
    return this.attempt(generation, route, repairMessages, jsonSchema, { userId, domain: generation.domain, feature: generation.feature });
  }

  /** Step 4 done by the domain: charge the actual cost. Idempotent. */
  async settle(userId: string, generationId: string): Promise<GenerationView> {
    const { db, logger } = this.deps;
    const generation = await this.owned(userId, generationId);
    if (generation.status === 'SETTLED') return view(generation, true);
    if (generation.status !== 'GENERATED' && generation.status !== 'PERSISTED') {
      throw new AiError('CONFLICT', `This generation is ${generation.status.toLowerCase()} and cannot be settled.`, 409);
    }
    // Recorded first: if identity can't be reached now, the sweeper settles it later.
    await db.aiGeneration.updateMany({ where: { id: generationId, status: 'GENERATED' }, data: { status: 'PERSISTED' } });
    return this.finishSettlement({ ...generation, status: 'PERSISTED' }).catch((error: unknown) => {
      logger.warn({ err: error, generationId }, 'settlement deferred: identity unreachable');
      return view({ ...generation, status: 'PERSISTED' }, false);
    });
  }

  /** Compensation: the domain could not use the answer (or gave up); the reservation goes back. Idempotent. */
  async release(userId: string, generationId: string, reason: string, invalidOutput = false): Promise<GenerationView> {
    const generation = await this.owned(userId, generationId);
    if (invalidOutput) await this.markInvalid(generationId);
    if (generation.status === 'RELEASED') return view(generation, true);
    if (generation.status === 'SETTLED' || generation.status === 'PERSISTED') {
      throw new AiError('CONFLICT', 'This generation was already used and cannot be released.', 409);
    }
    return this.releaseGeneration(generation, reason);
  }

  /** `chat`: generate and settle at once (nothing for a domain to persist). */
  async chat(input: Omit<GenerateInput, 'domain' | 'feature' | 'jsonSchema'>): Promise<GenerationView> {
    // Free: settled by the generation's own update. Metered: settled right after (skipping the domain's persist step).
    const generated = await this.generate({ ...input, domain: 'ai', feature: 'chat' }, { settleIfFree: true });
    if (generated.status === 'GENERATED') return this.settle(input.userId, generated.generationId);
    return generated;
  }

  /** Finishes what crashes and abandoned requests left: releases expired reservations, retries pending settlements. */
  async sweep(now = new Date(), scope: { userId?: string } = {}): Promise<{ released: number; settled: number }> {
    const { db, logger } = this.deps;
    let released = 0;
    let settled = 0;
    const stale = await db.aiGeneration.findMany({ where: { ...scope, status: { in: ['PENDING', 'GENERATED'] }, expiresAt: { lt: now } }, take: 200 });
    for (const generation of stale) {
      await this.releaseGeneration(generation, 'abandoned: not settled in time').then(
        () => released++,
        (error: unknown) => logger.warn({ err: error, generationId: generation.id }, 'could not release an abandoned generation'),
      );
    }
    const pending = await db.aiGeneration.findMany({ where: { ...scope, status: 'PERSISTED' }, take: 200 });
    for (const generation of pending) {
      await this.finishSettlement(generation).then(
        () => settled++,
        (error: unknown) => logger.warn({ err: error, generationId: generation.id }, 'settlement still pending'),
      );
    }
    return { released, settled };
  }

  // ── steps ────────────────────────────────────────────────────────────

  /** Inserts the generation (or revives a released one with the same key) as PENDING. */
  private async claim(input: GenerateInput, idempotencyKey: string, route: Route, reserve: number, existing: AiGeneration | null): Promise<AiGeneration> {
    const { db, settings } = this.deps;
    const data = {
      domain: input.domain,
      feature: input.feature,
      model: route.model,
      provider: providerName(route),
      status: 'PENDING' as const,
      reservationId: null,
      reservedCredits: reserve,
      chargedCredits: 0,
      attempts: 0,
      content: null,
      promptTokens: 0,
      completionTokens: 0,
      expiresAt: new Date(Date.now() + settings.reservationTtlSeconds * 1000),
    };
    if (existing) {
      // Only one retry may revive it.
      const revived = await db.aiGeneration.updateMany({ where: { id: existing.id, status: 'RELEASED' }, data: { ...data, updatedAt: new Date() } });
      if (revived.count === 0) throw new AiError('CONFLICT', 'A request with this idempotency key is still running.', 409);
      return db.aiGeneration.findUniqueOrThrow({ where: { id: existing.id } });
    }
    try {
      return await db.aiGeneration.create({ data: { ...data, userId: input.userId, idempotencyKey } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new AiError('CONFLICT', 'A request with this idempotency key is still running.', 409);
      }
      throw error;
    }
  }

  /** One call to the model (BYOK, falling back to the free model on failure); releases the reservation if it fails. */
  private async attempt(
    generation: AiGeneration,
    route: Route,
    messages: ChatMessage[],
    jsonSchema: Record<string, unknown> | undefined,
    usage: { userId: string; domain: string; feature: string; requestId?: string },
    settleNow = false,
  ): Promise<GenerationView> {
    const { db } = this.deps;
    let result: ChatResult;
    try {
      result = await this.call(route, messages, jsonSchema, { ...usage, generationId: generation.id });
    } catch (error) {
      await this.releaseGeneration(generation, 'the model failed').catch((e: unknown) => this.deps.logger.error({ err: e, generationId: generation.id }, 'release failed'));
      if (error instanceof AiError) throw error;
      throw unavailable(
        neverReached(error) ? `No AI model is available for "${route.model}" right now. Nothing was charged.` : 'The AI model failed to answer. Nothing was charged.',
      );
    }
    const updated = await db.aiGeneration.update({
      where: { id: generation.id },
      data: {
        status: settleNow ? 'SETTLED' : 'GENERATED',
        content: result.content,
        model: result.model,
        provider: result.provider,
        attempts: { increment: 1 },
        promptTokens: { increment: result.promptTokens },
        completionTokens: { increment: result.completionTokens },
      },
    });
    return view(updated, false);
  }

  private async call(
    route: Route,
    messages: ChatMessage[],
    jsonSchema: Record<string, unknown> | undefined,
    usage: { userId: string; domain: string; feature: string; requestId?: string; generationId: string },
  ): Promise<ChatResult> {
    const { pool, keys, settings, logger } = this.deps;
    const request = { messages, jsonSchema, maxTokens: settings.maxOutputTokens };
    const started = performance.now();
    if (route.kind === 'byok') {
      try {
        const result = await keys.withKey(usage.userId, route.keyId, (apiKey) =>
          byokChat({ provider: route.provider, apiKey, baseURL: settings.baseUrls[route.provider], request: { ...request, model: route.model }, timeoutMs: settings.byokTimeoutMs }),
        );
        await this.record({ ...usage, ...usageOf(result), outcome: 'SUCCESS' });
        return result;
      } catch (error) {
        await this.record({
          ...usage,
          provider: route.provider,
          model: route.model,
          latencyMs: Math.round(performance.now() - started),
          outcome: 'PROVIDER_ERROR',
          errorCode: error instanceof LlmProviderError && error.status ? `HTTP_${error.status}` : 'PROVIDER_ERROR',
        });
        logger.warn({ provider: route.provider, model: route.model, status: (error as LlmProviderError).status, generationId: usage.generationId }, 'BYOK call failed');
        if (!route.fallbackModel) throw error;
        return this.call({ kind: 'pool', model: route.fallbackModel }, messages, jsonSchema, usage);
      }
    }
    try {
      const result = await pool.chat({ ...request, model: route.model });
      await this.record({ ...usage, ...usageOf(result), outcome: 'SUCCESS' });
      return result;
    } catch (error) {
      await this.record({
        ...usage,
        provider: 'ollama',
        model: route.model,
        latencyMs: Math.round(performance.now() - started),
        outcome: neverReached(error) ? 'UNAVAILABLE' : 'PROVIDER_ERROR',
        errorCode: ErrorCode.AI_UNAVAILABLE,
      });
      throw error;
    }
  }

  private async finishSettlement(generation: AiGeneration): Promise<GenerationView> {
    const { db, identity, logger } = this.deps;
    let charged = 0;
    if (generation.reservationId) {
      const price = priceOf(this.deps.settings.pricing, generation.model);
      const amount = actualCost(price, generation.promptTokens + generation.completionTokens, generation.reservedCredits);
      try {
        charged = (await identity.settle(generation.reservationId, amount, `AI ${generation.domain}/${generation.feature} (${generation.model})`)).charged;
      } catch (error) {
        // identity already let the reservation expire: the result was delivered, so it stays free.
        if (!(error instanceof InternalCallError && error.code === 'RESERVATION_RELEASED')) throw error;
        logger.warn({ generationId: generation.id }, 'reservation expired before settlement: not charged');
      }
    }
    const settled = await db.aiGeneration.update({ where: { id: generation.id }, data: { status: 'SETTLED', chargedCredits: charged } });
    if (charged > 0) {
      const last = await db.aiUsage.findFirst({ where: { generationId: generation.id, outcome: 'SUCCESS' }, orderBy: { createdAt: 'desc' } });
      if (last) await db.aiUsage.update({ where: { id: last.id }, data: { credits: charged } });
    }
    return view(settled, false);
  }

  private async releaseGeneration(generation: AiGeneration, reason: string): Promise<GenerationView> {
    const { db, identity } = this.deps;
    const fresh = await db.aiGeneration.findUniqueOrThrow({ where: { id: generation.id } });
    if (fresh.reservationId) await identity.release(fresh.reservationId, reason);
    const released = await db.aiGeneration.update({ where: { id: generation.id }, data: { status: 'RELEASED' } });
    return view(released, false);
  }

  /** The domain rejected the last answer: the usage log says so. */
  private async markInvalid(generationId: string): Promise<void> {
    const last = await this.deps.db.aiUsage.findFirst({ where: { generationId, outcome: 'SUCCESS' }, orderBy: { createdAt: 'desc' } });
    if (last) await this.deps.db.aiUsage.update({ where: { id: last.id }, data: { outcome: 'INVALID_OUTPUT', errorCode: ErrorCode.AI_INVALID_OUTPUT } });
  }

  private async owned(userId: string, generationId: string): Promise<AiGeneration> {
    const generation = await this.deps.db.aiGeneration.findFirst({ where: { id: generationId, userId } });
    if (!generation) throw new AiError(ErrorCode.NOT_FOUND, 'Generation not found.', 404);
    return generation;
  }

  private async record(entry: {
    userId: string;
    domain: string;
    feature: string;
    provider: string;
    model: string;
    outcome: AiOutcome;
    generationId?: string;
    host?: string | null;
    promptTokens?: number;
    completionTokens?: number;
    latencyMs?: number;
    errorCode?: string;
    requestId?: string;
  }): Promise<void> {
    await this.deps.db.aiUsage.create({
      data: {
        userId: entry.userId,
        generationId: entry.generationId ?? null,
        domain: entry.domain,
        feature: entry.feature,
        provider: entry.provider,
        model: entry.model.slice(0, 120),
        host: entry.host ?? null,
        promptTokens: entry.promptTokens ?? 0,
        completionTokens: entry.completionTokens ?? 0,
        latencyMs: entry.latencyMs ?? 0,
        outcome: entry.outcome,
        errorCode: entry.errorCode ?? null,
        requestId: entry.requestId ?? null,
      },
    });
  }
}

/** No backend was even asked (as opposed to asked and failed). */
const neverReached = (error: unknown) => error instanceof LlmUnavailableError && error.failedAttempts === 0;

const providerName = (route: Route): Provider => (route.kind === 'pool' ? 'ollama' : route.provider);

const usageOf = (result: ChatResult) => ({
  provider: result.provider,
  model: result.model,
  host: result.host ?? null,
  promptTokens: result.promptTokens,
  completionTokens: result.completionTokens,
  latencyMs: result.latencyMs,
});
