/**
 * DataLoader batch results must line up with the keys asked for: these group the rows of one
 * batched query back into that order.
 */
export function groupByKey<T, K>(rows: readonly T[], key: (row: T) => K, keys: readonly K[]): T[][] {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** One row per key (null where there is none). */
export function firstByKey<T, K>(rows: readonly T[], key: (row: T) => K, keys: readonly K[]): (T | null)[] {
  const map = new Map(rows.map((r) => [key(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}
