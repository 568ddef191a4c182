import { ErrorCode, type Logger } from '@calos/kernel';
import { InternalCallError, SERVICE_UNAVAILABLE, type InternalClient } from '@calos/service';
import { AiError } from './engine.js';
import { FREE_PLAN, type PlanLimits } from './rate-limits.js';

export interface Reservation {
  reservationId: string;
  status: 'HELD' | 'SETTLED' | 'RELEASED';
  amount: number;
  balance: number;
}

const PLAN_TTL_MS = 60_000;

/** Tells a deleted user's still-valid token apart from a refused service token. */
export const ACCOUNT_DELETED = 'ACCOUNT_DELETED';
const PLAN_CACHE_MAX = 10_000;

/**
 * identity, as the ai service sees it: the user's plan (rate limits) and the credits
 * reservation steps of the metered-AI saga. Every call carries a service token.
 */
export class IdentityCredits {
  private readonly plans = new Map<string, { plan: PlanLimits; until: number }>();

  constructor(
    private readonly client: InternalClient,
    private readonly logger: Logger,
  ) {}

  /** The user's plan, cached for a minute; the free plan when identity can't be reached (limits stay enforced). */
  async plan(userId: string): Promise<PlanLimits> {
    const cached = this.plans.get(userId);
    if (cached && cached.until > Date.now()) return cached.plan;
    try {
      const { plan } = await this.client.call<{ plan: PlanLimits }>('get', `/users/${userId}/entitlements`, undefined, { timeoutMs: 3000 });
      if (this.plans.size >= PLAN_CACHE_MAX) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(userId, { plan, until: Date.now() + PLAN_TTL_MS });
      return plan;
    } catch (error) {
      if (error instanceof InternalCallError && error.code === SERVICE_UNAVAILABLE) {
        this.logger.warn({ userId }, 'identity unreachable: applying free-plan AI limits');
        return FREE_PLAN;
      }
      // A token outliving its (deleted) account.
      if (error instanceof InternalCallError && error.code === ErrorCode.NOT_FOUND) throw new AiError(ErrorCode.UNAUTHENTICATED, 'Your account no longer exists.', 401, { reason: ACCOUNT_DELETED });
      throw error;
    }
  }

  reserve(input: { userId: string; amount: number; idempotencyKey: string; ttlSeconds: number; reason: string }): Promise<Reservation> {
    return this.client.call<Reservation>('post', '/credits/reservations', input, { userId: input.userId });
  }

  settle(reservationId: string, amount: number, reason: string): Promise<{ charged: number; balance: number }> {
    return this.client.call('post', `/credits/reservations/${reservationId}/settle`, { amount, reason });
  }

  release(reservationId: string, reason: string): Promise<{ balance: number }> {
    return this.client.call('post', `/credits/reservations/${reservationId}/release`, { reason });
  }
}
