/**
 * Read models follow their source domain within milliseconds, but a client that just wrote
 * there (created a recipe, joined a family) may ask here first. `awaitReadModel` looks again
 * for a bounded time before answering "no": the write is visible to the writer's next request.
 */
export const READ_MODEL_WAIT_MS = 10_000;

export async function awaitReadModel<T>(lookup: () => Promise<T | null | undefined | false>, waitMs = READ_MODEL_WAIT_MS): Promise<T | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = await lookup();
    if (found) return found;
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}
