import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { repoRoot } from './domains.js';

/**
 * The zero-setup database: PGlite (PostgreSQL compiled to WASM) in this process,
 * served over the PostgreSQL wire protocol by pglite-socket so the very same
 * `pg` + Prisma adapter code paths run as against a real server.
 *
 * PGlite is a single session; pglite-socket multiplexes connections onto it. Its own
 * queue interleaves connections message by message, which breaks the extended query
 * protocol (Parse/Bind/Execute of two connections mix, and one gets the other's rows),
 * so we give it an {@link AtomicQueryQueue} instead: a connection owns the session from
 * its first message until a unit boundary (Sync or simple Query) outside a transaction.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string | null;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** A directory to keep the database in; omit for an in-memory database. */
  dataDir?: string;
  port?: number;
  maxConnections?: number;
}

const SERVER_FILE = 'server.json';
/** Part of the template's name: a dump only fits the PGlite (PostgreSQL) build that made it. */
const PGLITE_VERSION = (() => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = join(entry.slice(0, entry.lastIndexOf(`${'@electric-sql'}/pglite`)), '@electric-sql/pglite/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
})();

/**
 * A fresh PGlite database costs a full initdb (≈2 s of WASM on a small machine), and several
 * at once are slower still. So an empty database is initialised once and dumped (`npm install`
 * does it, see scripts/generate.ts), and every new database (one per domain) starts from that
 * dump (≈0.5 s), one at a time.
 */
let creating: Promise<unknown> = Promise.resolve();
let template: Promise<Blob> | null = null;

function serially<T>(fn: () => Promise<T>): Promise<T> {
  const run = creating.then(fn, fn);
  creating = run.catch(() => {});
  return run;
}

/** Where the dump of an empty database is kept (per PGlite version: a dump fits only its build). */
export const embeddedTemplateFile = () => join(repoRoot, 'node_modules', '.cache', 'calos', `pglite-template-${PGLITE_VERSION}.tar`);

function templateDump(): Promise<Blob> {
  template ??= (async () => {
    const file = embeddedTemplateFile();
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const blank = await PGlite.create();
    const dump = await blank.dumpDataDir('none');
    await blank.close();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return dump;
  })();
  return template;
}

/** Makes the empty-database dump ahead of time, so the first `npm start` does not wait for initdb. */
export async function prepareEmbeddedTemplate(): Promise<string> {
  await templateDump();
  return embeddedTemplateFile();
}

async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir && existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))) return PGlite.create(join(dataDir, 'pgdata'));
  return serially(async () => {
    const loadDataDir = await templateDump();
    if (!dataDir) return PGlite.create({ loadDataDir });
    mkdirSync(dataDir, { recursive: true });
    return PGlite.create(join(dataDir, 'pgdata'), { loadDataDir });
  });
}

export async function startEmbeddedPostgres({ dataDir, port = 0, maxConnections = 32 }: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await openPGlite(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections });
  // pglite-socket 0.2 hands its private queue to every connection handler it creates.
  (server as unknown as { queryQueue: AtomicQueryQueue }).queryQueue = new AtomicQueryQueue(db);
  await server.start();
  const actualPort = Number(server.getServerConn().split(':').pop());
  const url = `postgresql://postgres:postgres@127.0.0.1:${actualPort}/postgres?sslmode=disable`;
  if (dataDir) writeFileSync(join(dataDir, SERVER_FILE), JSON.stringify({ pid: process.pid, url }));
  let stopped = false;
  return {
    url,
    port: actualPort,
    dataDir: dataDir ?? null,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (dataDir) rmSync(join(dataDir, SERVER_FILE), { force: true });
    },
  };
}

/**
 * The URL of an embedded database another process of ours is already serving from
 * `dataDir` (PGlite must never open one directory twice), or null.
 */
export function runningEmbeddedUrl(dataDir: string): string | null {
  try {
    const { pid, url } = JSON.parse(readFileSync(join(dataDir, SERVER_FILE), 'utf8')) as { pid: number; url: string };
    process.kill(pid, 0);
    return url;
  } catch {
    return null;
  }
}

type OnData = (chunk: Uint8Array) => void;
interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: OnData;
  resolve(bytes: number): void;
  reject(error: unknown): void;
}

const PROTOCOL_V3 = 196608;
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** True for the message types after which the backend is back at ReadyForQuery. */
function endsUnit(message: Uint8Array): boolean {
  const type = message[0];
  if (type === 0x51 /* Q */ || type === 0x53 /* S */ || type === 0x58 /* X */) return true;
  // A startup packet has no type byte: int32 length, then int32 protocol version.
  return message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === PROTOCOL_V3;
}

/** Drop-in replacement for pglite-socket's QueryQueueManager that never interleaves units. */
export class AtomicQueryQueue {
  private readonly queues = new Map<number, Pending[]>();
  private readonly waiting: number[] = [];
  private owner: number | null = null;
  private ownerMidUnit = false;
  private draining = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: OnData): Promise<number> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(handlerId);
      if (!queue) this.queues.set(handlerId, (queue = []));
      queue.push({ handlerId, message, onData, resolve, reject });
      if (handlerId !== this.owner && !this.waiting.includes(handlerId)) this.waiting.push(handlerId);
      void this.drain();
    });
  }

  getQueueLength(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  clearQueueForHandler(handlerId: number): void {
    for (const item of this.queues.get(handlerId) ?? []) item.reject(new Error('Handler disconnected'));
    this.queues.delete(handlerId);
    const i = this.waiting.indexOf(handlerId);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** Called when a connection goes away: undo whatever it left open, then let others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    // Reset a half-sent extended-protocol unit, then any open transaction
    // (exec takes PGlite's lock itself; the raw protocol call does not).
    if (this.ownerMidUnit) await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    this.ownerMidUnit = false;
    void this.drain();
  }

  private next(): Pending | undefined {
    if (this.owner !== null) return this.queues.get(this.owner)?.shift();
    while (this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      const item = this.queues.get(id)?.shift();
      if (item) {
        this.owner = id;
        return item;
      }
    }
    return undefined;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (chunk: Uint8Array) => {
                bytes += chunk.length;
                item.onData(chunk);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        const boundary = endsUnit(item.message);
        this.ownerMidUnit = !boundary;
        if (boundary && !this.db.isInTransaction()) {
          const id = item.handlerId;
          this.owner = null;
          if ((this.queues.get(id)?.length ?? 0) > 0) this.waiting.push(id);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

