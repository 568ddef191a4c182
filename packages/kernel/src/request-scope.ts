import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being served, wherever in its async work we are: logs and masked errors
 * carry its id, and SQL statements are attributed to it (background work such as the
 * outbox relay runs outside any request).
 */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();
export const currentRequestId = (): string | undefined => requestScope.getStore()?.requestId;

/** Work no request asked for (outbox relay, event consumers, sagas): not attributed to requests. */
const backgroundScope = new AsyncLocalStorage<true>();
export const runInBackground = <T>(fn: () => T): T => backgroundScope.run(true, fn);
export const inBackground = (): boolean => backgroundScope.getStore() === true;
