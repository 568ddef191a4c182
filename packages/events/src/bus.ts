import type { Logger } from '@calos/kernel';
import type pg from 'pg';
import { streamOf } from './catalog.js';
import { EventConsumer, type ConsumerOptions, type EventHandler, type UnitOfWork } from './consumer.js';
import { OutboxRelay, type RelayOptions } from './relay.js';
import type { Transport } from './transport.js';

export interface Subscription<TTx> {
  /** The publishing domain whose stream to read. */
  domain: string;
  handlers: Record<string, EventHandler<TTx>>;
}

export interface ServiceBusOptions<TTx> {
  /** This service's domain: its outbox feeds `events:<domain>`, and it is the consumer group name. */
  domain: string;
  pool: pg.Pool;
  transport: Transport;
  logger: Logger;
  unitOfWork: UnitOfWork<TTx>;
  subscriptions: Subscription<TTx>[];
  relay?: Partial<Pick<RelayOptions, 'batchSize' | 'pollMs' | 'maxBackoffMs'>>;
  consumer?: Partial<Pick<ConsumerOptions<TTx>, 'batchSize' | 'blockMs' | 'maxAttempts' | 'claimIdleMs' | 'retryMs'>>;
}

/** A service's part of the event system: its outbox relay and its consumers. */
export class ServiceBus<TTx> {
  readonly relay: OutboxRelay;
  readonly consumers: EventConsumer<TTx>[];

  constructor(private readonly options: ServiceBusOptions<TTx>) {
    const { domain, pool, transport, logger } = options;
    this.relay = new OutboxRelay({ pool, transport, stream: streamOf(domain), logger, ...options.relay });
    // One consumer per source stream; handlers for the same stream are merged.
    const byStream = new Map<string, Record<string, EventHandler<TTx>>>();
    for (const s of options.subscriptions) {
      const stream = streamOf(s.domain);
      byStream.set(stream, { ...byStream.get(stream), ...s.handlers });
    }
    this.consumers = [...byStream].map(
      ([stream, handlers]) =>
        new EventConsumer<TTx>({ transport, group: domain, stream, handlers, unitOfWork: options.unitOfWork, logger, ...options.consumer }),
    );
  }

  start(): void {
    this.relay.start();
    for (const c of this.consumers) c.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.relay.stop(), ...this.consumers.map((c) => c.stop())]);
  }

  /** For `/ready`: the bus answers; backlog and dead letters are reported, not fatal. */
  readiness() {
    return {
      name: 'events',
      check: async () => {
        const { transport, domain } = this.options;
        await transport.ping();
        return {
          transport: transport.kind,
          outboxBacklog: await this.relay.backlog(),
          deadLetters: await transport.deadLetterCount(domain),
        };
      },
    };
  }
}
