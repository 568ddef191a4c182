import { Redis } from 'ioredis';
import { servicesRequired } from './postgres.js';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let reachable: Promise<boolean> | undefined;
/** Real Redis when it answers; with REQUIRE_SERVICES=1 its absence is an error. */
export function redisReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
    redis.on('error', () => {});
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
    } catch (error) {
      if (servicesRequired()) throw new Error(`REQUIRE_SERVICES=1 but Redis is not reachable at ${TEST_REDIS_URL}`, { cause: error });
      return false;
    } finally {
      redis.disconnect();
    }
  })();
  return reachable;
}
