import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

export interface StreamEntry {
  id: string;
  payload: string;
}

export interface DeadLetter {
  stream: string;
  entryId: string;
  payload: string;
  error: string;
  attempts: number;
}

/**
 * The message bus as the outbox relay and the consumers need it: Redis Streams semantics
 * (append-only streams, consumer groups, per-consumer pending lists, idle reclaim).
 */
export interface Transport {
  readonly kind: 'redis' | 'memory';
  append(stream: string, payloads: string[]): Promise<string[]>;
  ensureGroup(stream: string, group: string): Promise<void>;
  /** New entries for this group (XREADGROUP … >), waiting up to blockMs for some. */
  readNew(stream: string, group: string, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]>;
  /** This consumer's delivered-but-unacknowledged entries (XREADGROUP … 0). */
  readOwnPending(stream: string, group: string, consumer: string, count: number): Promise<StreamEntry[]>;
  /** Takes over entries idle longer than minIdleMs, e.g. from a consumer that died (XAUTOCLAIM). */
  claimIdle(stream: string, group: string, consumer: string, minIdleMs: number, count: number): Promise<StreamEntry[]>;
  ack(stream: string, group: string, ids: string[]): Promise<void>;
  /** Counts a failed attempt at an entry; returns the total so far. */
  recordFailure(stream: string, group: string, id: string): Promise<number>;
  forgetFailures(stream: string, group: string, ids: string[]): Promise<void>;
  deadLetter(group: string, letter: DeadLetter): Promise<void>;
  deadLetters(group: string, count?: number): Promise<DeadLetter[]>;
  deadLetterCount(group: string): Promise<number>;
  pendingCount(stream: string, group: string): Promise<number>;
  streamLength(stream: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const deadLetterStream = (group: string) => `deadletter:${group}`;
const failuresKey = (stream: string, group: string) => `failures:${group}:${stream}`;

type RawEntries = Array<[id: string, fields: string[] | null]>;

function toEntries(raw: RawEntries | null | undefined): StreamEntry[] {
  const entries: StreamEntry[] = [];
  for (const [id, fields] of raw ?? []) {
    // A deleted (trimmed) entry comes back with null fields; nothing to deliver.
    if (!fields) continue;
    const i = fields.indexOf('envelope');
    if (i >= 0 && fields[i + 1] !== undefined) entries.push({ id, payload: fields[i + 1]! });
  }
  return entries;
}

/** Redis Streams (production, CI). Blocking reads use their own connection. */
export class RedisTransport implements Transport {
  readonly kind = 'redis' as const;
  private readonly commands: Redis;
  private readonly blocking: Redis;
  /** Namespaces every key, so several environments (or test runs) can share one Redis. */
  private readonly prefix: string;

  constructor(url: string, options: { keyPrefix?: string } = {}) {
    this.prefix = options.keyPrefix ?? '';
    // Commands wait for the first connection; while Redis is down they fail after one retry
    // (the relay and consumers back off and try again) and the clients reconnect by themselves.
    const client = { maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
    this.commands = new Redis(url, client);
    this.blocking = new Redis(url, client);
    // Connection errors surface on the commands that fail; the clients reconnect by themselves.
    this.commands.on('error', () => {});
    this.blocking.on('error', () => {});
  }

  async append(stream: string, payloads: string[]): Promise<string[]> {
    if (payloads.length === 0) return [];
    const pipeline = this.commands.pipeline();
    for (const payload of payloads) pipeline.xadd(this.prefix + stream, '*', 'envelope', payload);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, id]) => {
      if (error) throw error;
      return id as string;
    });
  }

  async ensureGroup(stream: string, group: string): Promise<void> {
    try {
      // From the start of the stream: a new subscriber builds its read model from history.
      await this.commands.xgroup('CREATE', this.prefix + stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  async readNew(stream: string, group: string, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]> {
    const result = await this.blocking.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.prefix + stream, '>');
    return toEntries(result?.[0]?.[1]);
  }

  async readOwnPending(stream: string, group: string, consumer: string, count: number): Promise<StreamEntry[]> {
    const result = await this.commands.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', this.prefix + stream, '0');
    return toEntries(result?.[0]?.[1]);
  }

  async claimIdle(stream: string, group: string, consumer: string, minIdleMs: number, count: number): Promise<StreamEntry[]> {
    const [, entries] = (await this.commands.xautoclaim(this.prefix + stream, group, consumer, minIdleMs, '0-0', 'COUNT', count)) as [string, RawEntries];
    return toEntries(entries);
  }

  async ack(stream: string, group: string, ids: string[]): Promise<void> {
    if (ids.length) await this.commands.xack(this.prefix + stream, group, ...ids);
  }

  async recordFailure(stream: string, group: string, id: string): Promise<number> {
    return this.commands.hincrby(this.prefix + failuresKey(stream, group), id, 1);
  }

  async forgetFailures(stream: string, group: string, ids: string[]): Promise<void> {
    if (ids.length) await this.commands.hdel(this.prefix + failuresKey(stream, group), ...ids);
  }

  async deadLetter(group: string, letter: DeadLetter): Promise<void> {
    await this.commands.xadd(
      this.prefix + deadLetterStream(group),
      '*',
      'stream',
      letter.stream,
      'entryId',
      letter.entryId,
      'envelope',
      letter.payload,
      'error',
      letter.error,
      'attempts',
      String(letter.attempts),
    );
  }

  async deadLetters(group: string, count = 100): Promise<DeadLetter[]> {
    const entries = await this.commands.xrange(this.prefix + deadLetterStream(group), '-', '+', 'COUNT', count);
    return entries.map(([, fields]) => {
      const get = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return { stream: get('stream'), entryId: get('entryId'), payload: get('envelope'), error: get('error'), attempts: Number(get('attempts')) };
    });
  }

  deadLetterCount(group: string): Promise<number> {
    return this.commands.xlen(this.prefix + deadLetterStream(group));
  }

  async pendingCount(stream: string, group: string): Promise<number> {
    try {
      const [count] = (await this.commands.xpending(this.prefix + stream, group)) as [number, ...unknown[]];
      return Number(count);
    } catch {
      return 0;
    }
  }

  streamLength(stream: string): Promise<number> {
    return this.commands.xlen(this.prefix + stream);
  }

  async ping(): Promise<void> {
    await this.commands.ping();
  }

  async close(): Promise<void> {
    this.blocking.disconnect();
    this.commands.disconnect();
  }
}

interface MemoryGroup {
  next: number;
  pending: Map<string, { consumer: string; deliveredAt: number }>;
}

/**
 * The same semantics in this process, for `npm start` with nothing installed. Every
 * service of the in-process supergraph shares one instance.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  private readonly streams = new Map<string, StreamEntry[]>();
  private readonly groups = new Map<string, MemoryGroup>();
  private readonly failures = new Map<string, number>();
  private readonly dead = new Map<string, DeadLetter[]>();
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private sequence = 0;

  private stream(name: string): StreamEntry[] {
    let entries = this.streams.get(name);
    if (!entries) this.streams.set(name, (entries = []));
    return entries;
  }

  private group(stream: string, group: string): MemoryGroup {
    const key = `${stream}\u0000${group}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { next: 0, pending: new Map() }));
    return g;
  }

  async append(stream: string, payloads: string[]): Promise<string[]> {
    const entries = this.stream(stream);
    const ids = payloads.map((payload) => {
      const id = `${Date.now()}-${this.sequence++}`;
      entries.push({ id, payload });
      return id;
    });
    this.appended.emit(stream);
    return ids;
  }

  async ensureGroup(stream: string, group: string): Promise<void> {
    this.group(stream, group);
  }

  async readNew(stream: string, group: string, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]> {
    const g = this.group(stream, group);
    const entries = this.stream(stream);
    if (g.next >= entries.length && blockMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.appended.off(stream, done);
          resolve();
        };
        const timer = setTimeout(done, blockMs);
        this.appended.once(stream, done);
      });
    }
    const batch = entries.slice(g.next, g.next + count);
    g.next += batch.length;
    const now = Date.now();
    for (const e of batch) g.pending.set(e.id, { consumer, deliveredAt: now });
    return batch;
  }

  async readOwnPending(stream: string, group: string, consumer: string, count: number): Promise<StreamEntry[]> {
    const g = this.group(stream, group);
    const ids = [...g.pending].filter(([, p]) => p.consumer === consumer).slice(0, count).map(([id]) => id);
    return this.stream(stream).filter((e) => ids.includes(e.id));
  }

  async claimIdle(stream: string, group: string, consumer: string, minIdleMs: number, count: number): Promise<StreamEntry[]> {
    const g = this.group(stream, group);
    const now = Date.now();
    const ids: string[] = [];
    for (const [id, p] of g.pending) {
      if (ids.length >= count) break;
      if (now - p.deliveredAt >= minIdleMs) {
        g.pending.set(id, { consumer, deliveredAt: now });
        ids.push(id);
      }
    }
    return this.stream(stream).filter((e) => ids.includes(e.id));
  }

  async ack(stream: string, group: string, ids: string[]): Promise<void> {
    const g = this.group(stream, group);
    for (const id of ids) g.pending.delete(id);
  }

  async recordFailure(stream: string, group: string, id: string): Promise<number> {
    const key = `${failuresKey(stream, group)}:${id}`;
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    return n;
  }

  async forgetFailures(stream: string, group: string, ids: string[]): Promise<void> {
    for (const id of ids) this.failures.delete(`${failuresKey(stream, group)}:${id}`);
  }

  async deadLetter(group: string, letter: DeadLetter): Promise<void> {
    const list = this.dead.get(group) ?? [];
    list.push(letter);
    this.dead.set(group, list);
  }

  async deadLetters(group: string, count = 100): Promise<DeadLetter[]> {
    return (this.dead.get(group) ?? []).slice(0, count);
  }

  async deadLetterCount(group: string): Promise<number> {
    return this.dead.get(group)?.length ?? 0;
  }

  async pendingCount(stream: string, group: string): Promise<number> {
    return this.group(stream, group).pending.size;
  }

  async streamLength(stream: string): Promise<number> {
    return this.stream(stream).length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }
}

export function createTransport(redisUrl: string | undefined, options: { keyPrefix?: string } = {}): Transport {
  return redisUrl ? new RedisTransport(redisUrl, options) : new MemoryTransport();
}
