import { badUserInput } from '@calos/kernel';

/** Opaque Relay cursors: base64url JSON of the sort key of the last row seen. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, fields: readonly K[]): Record<K, string> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (fields.every((f) => typeof parsed[f] === 'string')) return parsed as Record<K, string>;
  } catch {
    // fall through
  }
  throw badUserInput({ after: ['is not a cursor from this list (use pageInfo.endCursor)'] });
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from `first + 1` fetched rows (the extra row only tells there is a next page). */
export function toPage<T>(rows: T[], first: number, cursorOf: (row: T) => string, totalCount: number, hadCursor: boolean): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
