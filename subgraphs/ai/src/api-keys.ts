import { randomUUID } from 'node:crypto';
import { badUserInput, notFound } from '@calos/kernel';
import type { ApiKey, ApiKeyProvider, PrismaClient } from './generated/prisma/client.js';
import { decryptApiKey, encryptApiKey, type KekRing } from './keys/crypto.js';
import { last4, validateApiKeyShape } from './keys/shape.js';
import type { Provider as ByokProvider } from './llm/byok.js';

export const byokProviderOf = (provider: ApiKeyProvider) => provider.toLowerCase() as ByokProvider;
export const apiKeyProviderOf = (provider: ByokProvider) => provider.toUpperCase() as ApiKeyProvider;

/** The public view of a key: never the secret, never its ciphertext. */
export type ApiKeyView = Pick<ApiKey, 'id' | 'userId' | 'provider' | 'label' | 'last4' | 'active' | 'createdAt' | 'lastUsedAt'>;
export const API_KEY_VIEW = { id: true, userId: true, provider: true, label: true, last4: true, active: true, createdAt: true, lastUsedAt: true } as const;

/**
 * BYOK keys: encrypted on the way in, decrypted only inside `withKey` for the one call that
 * uses it. The newest key of a provider is the active one.
 */
export class ApiKeys {
  constructor(
    private readonly db: PrismaClient,
    private readonly ring: KekRing,
  ) {}

  async add(userId: string, input: { provider: ApiKeyProvider; apiKey: string; label?: string | null }): Promise<ApiKeyView> {
    const provider = byokProviderOf(input.provider);
    const problem = validateApiKeyShape(provider, input.apiKey);
    const label = input.label?.trim() || null;
    const fields: Record<string, string[]> = {};
    if (problem) fields['input.apiKey'] = [problem];
    if (label && label.length > 80) fields['input.label'] = ['must be at most 80 characters'];
    if (Object.keys(fields).length > 0) throw badUserInput(fields);
    const id = randomUUID();
    const sealed = encryptApiKey(this.ring, input.apiKey, { userId, keyId: id });
    return this.db.$transaction(async (tx) => {
      await tx.apiKey.updateMany({ where: { userId, provider: input.provider, active: true }, data: { active: false } });
      return tx.apiKey.create({
        data: { id, userId, provider: input.provider, label, last4: last4(input.apiKey), ...sealed, active: true },
        select: API_KEY_VIEW,
      });
    });
  }

  async remove(userId: string, id: string): Promise<ApiKeyView> {
    return this.db.$transaction(async (tx) => {
      const key = await tx.apiKey.findFirst({ where: { id, userId }, select: API_KEY_VIEW });
      if (!key) throw notFound('API key');
      await tx.apiKey.delete({ where: { id } });
      if (key.active) {
        const next = await tx.apiKey.findFirst({ where: { userId, provider: key.provider }, orderBy: { createdAt: 'desc' } });
        if (next) await tx.apiKey.update({ where: { id: next.id }, data: { active: true } });
      }
      return { ...key, active: false };
    });
  }

  /** The active key of each provider the user has one for. */
  async activeProviders(userId: string): Promise<Set<ByokProvider>> {
    const rows = await this.db.apiKey.findMany({ where: { userId, active: true }, select: { provider: true } });
    return new Set(rows.map((r) => byokProviderOf(r.provider)));
  }

  async activeKeyId(userId: string, provider: ByokProvider): Promise<string | null> {
    const key = await this.db.apiKey.findFirst({ where: { userId, provider: apiKeyProviderOf(provider), active: true }, select: { id: true } });
    return key?.id ?? null;
  }

  /** Decrypts the key for `use` only; the plaintext never leaves this call. */
  async withKey<T>(userId: string, keyId: string, use: (apiKey: string) => Promise<T>): Promise<T> {
    const row = await this.db.apiKey.findFirst({ where: { id: keyId, userId } });
    if (!row) throw notFound('API key');
    const apiKey = decryptApiKey(this.ring, row, { userId, keyId });
    const result = await use(apiKey);
    await this.db.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date() } });
    return result;
  }
}
