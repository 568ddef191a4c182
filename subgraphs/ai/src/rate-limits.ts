import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** A plan's AI request allowance (identity's subscription_plans). */
export interface PlanLimits {
  code: string;
  ratePerMinute: number;
  ratePerHour: number;
  ratePerDay: number;
}

/** What identity seeds as `free`; used when identity cannot be asked. */
export const FREE_PLAN: PlanLimits = { code: 'free', ratePerMinute: 10, ratePerHour: 100, ratePerDay: 1000 };

const WINDOWS = [
  { name: 'minute', seconds: 60, points: (p: PlanLimits) => p.ratePerMinute },
  { name: 'hour', seconds: 3600, points: (p: PlanLimits) => p.ratePerHour },
  { name: 'day', seconds: 86_400, points: (p: PlanLimits) => p.ratePerDay },
] as const;

export type WindowName = (typeof WINDOWS)[number]['name'];

export interface WindowUsage {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: Date;
}

export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(
    readonly window: WindowName,
    readonly retryAfterSeconds: number,
  ) {
    super(`AI request limit per ${window} reached. Try again in ${retryAfterSeconds} s.`);
  }
}

/**
 * Per-user AI request limits per minute, hour and day, by plan. With Redis the counters
 * are shared by every ai replica, so a user's allowance is one across all domains and
 * replicas; if Redis fails, an in-process limiter keeps enforcing until it is back.
 * Without Redis (zero-setup development) the counters live in this process.
 */
export class UserRateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly store: { redis?: Redis; keyPrefix: string }) {}

  /** Takes one request from every window; if any is exhausted nothing is taken and RateLimitedError says when to retry. */
  async consume(userId: string, plan: PlanLimits): Promise<void> {
    const limiters = WINDOWS.map((window) => this.limiter(window.name, window.seconds, window.points(plan)));
    const outcomes = await Promise.allSettled(limiters.map((limiter) => limiter.consume(userId, 1)));
    const refused = outcomes.findIndex((o) => o.status === 'rejected');
    if (refused === -1) return;
    // A refused request must not use up the other windows.
    await Promise.all(limiters.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((limiter) => limiter.reward(userId, 1)));
    const rejection = (outcomes[refused] as PromiseRejectedResult).reason as unknown;
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new RateLimitedError(WINDOWS[refused]!.name, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
  }

  async usage(userId: string, plan: PlanLimits): Promise<Record<WindowName, WindowUsage>> {
    const now = Date.now();
    const entries = await Promise.all(
      WINDOWS.map(async (window) => {
        const limit = window.points(plan);
        const res = await this.limiter(window.name, window.seconds, limit).get(userId);
        const used = Math.min(limit, res?.consumedPoints ?? 0);
        const usage: WindowUsage = { limit, used, remaining: limit - used, resetsAt: new Date(now + (res?.msBeforeNext ?? window.seconds * 1000)) };
        return [window.name, usage] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<WindowName, WindowUsage>;
  }

  /** One limiter per (window, allowance); all of a window share one counter key per user. */
  private limiter(window: WindowName, duration: number, points: number): RateLimiterAbstract {
    const id = `${window}:${points}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const keyPrefix = `${this.store.keyPrefix}ai:ratelimit:${window}`;
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      limiter = this.store.redis
        ? new RateLimiterRedis({ storeClient: this.store.redis, keyPrefix, points, duration, insuranceLimiter: memory, rejectIfRedisNotReady: true })
        : memory;
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
