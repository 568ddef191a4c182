import { timingSafeEqual, createHash } from 'node:crypto';

/** Header the gateway adds to every subgraph request. */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';
export const REQUEST_ID_HEADER = 'x-request-id';

/** Constant-time comparison (hashing first makes the lengths equal). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
