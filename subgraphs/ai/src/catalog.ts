import { BYOK_PROVIDERS, providerOfModel, type Provider as ByokProvider } from './llm/byok.js';
import type { OllamaPool } from './llm/ollama-pool.js';

export type Provider = 'ollama' | ByokProvider;

export interface ModelPrice {
  perRequest: number;
  per1kTokens: number;
}

export type Pricing = Record<string, ModelPrice>;

const FREE: ModelPrice = { perRequest: 0, per1kTokens: 0 };

export const priceOf = (pricing: Pricing, model: string): ModelPrice => pricing[model] ?? FREE;
export const isMetered = (price: ModelPrice) => price.perRequest > 0 || price.per1kTokens > 0;

/** Rough prompt size in tokens (≈ 4 characters each), to size a reservation before the call. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** What a reservation holds: the most the call(s) can cost (`calls`: a structured generation may be repaired once). */
export function maxCost(price: ModelPrice, promptTokens: number, maxOutputTokens: number, calls: number): number {
  return price.perRequest + Math.ceil((price.per1kTokens * calls * (promptTokens + maxOutputTokens)) / 1000);
}

/** What is charged: the per-request price plus the tokens actually used, never more than was reserved. */
export function actualCost(price: ModelPrice, tokens: number, reserved: number): number {
  return Math.min(reserved, price.perRequest + Math.ceil((price.per1kTokens * tokens) / 1000));
}

export interface ModelInfo {
  model: string;
  provider: Provider;
  free: boolean;
  available: boolean;
  requiresApiKey: boolean;
  creditsPerRequest: number;
  creditsPer1kTokens: number;
  /** Pool hosts serving it (Ollama only). */
  hosts: number | null;
}

/**
 * The models a user can ask for: every model the pool's hosts report (plus the default and
 * priced ones, shown unavailable until a host has them) and each BYOK provider's premium
 * models, available to a user who has an active key for that provider.
 */
export function listModels(options: { pool: OllamaPool; pricing: Pricing; defaultModel: string; keyProviders: ReadonlySet<ByokProvider> }): ModelInfo[] {
  const poolModels = new Map(options.pool.models().map((m) => [m.model, m]));
  for (const model of [options.defaultModel, ...Object.keys(options.pricing)]) {
    if (!poolModels.has(model) && !providerOfModel(model)) poolModels.set(model, { model, hosts: 0, available: false });
  }
  const fromPool = [...poolModels.values()].map((m): ModelInfo => {
    const price = priceOf(options.pricing, m.model);
    return {
      model: m.model,
      provider: 'ollama',
      free: !isMetered(price),
      available: m.available,
      requiresApiKey: false,
      creditsPerRequest: price.perRequest,
      creditsPer1kTokens: price.per1kTokens,
      hosts: m.hosts,
    };
  });
  const byok = (Object.entries(BYOK_PROVIDERS) as Array<[ByokProvider, (typeof BYOK_PROVIDERS)[ByokProvider]]>).flatMap(([provider, p]) =>
    p.models.map((model): ModelInfo => {
      const price = priceOf(options.pricing, model);
      return {
        model,
        provider,
        free: false,
        available: options.keyProviders.has(provider),
        requiresApiKey: true,
        creditsPerRequest: price.perRequest,
        creditsPer1kTokens: price.per1kTokens,
        hosts: null,
      };
    }),
  );
  return [...fromPool.sort((a, b) => a.model.localeCompare(b.model)), ...byok];
}
