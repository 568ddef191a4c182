import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** The envelope every domain event travels in (SPEC §4). */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  eventType: z.string().min(1).max(100),
  aggregateType: z.string().min(1).max(100),
  aggregateId: z.string().min(1).max(100),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});

export type EventEnvelope<TType extends string = string, TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'eventType' | 'data'> & {
  eventType: TType;
  data: TData;
};

export interface EventDefinition<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  aggregateType: string;
  schema: TSchema;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  type: TType,
  aggregateType: string,
  schema: TSchema,
): EventDefinition<TType, TSchema> {
  return { type, aggregateType, schema };
}

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? EventEnvelope<T, z.infer<S>> : never;

/** A new event, validated against its definition before it can be written anywhere. */
export function newEvent<TType extends string, TSchema extends z.ZodType>(
  definition: EventDefinition<TType, TSchema>,
  aggregateId: string,
  data: z.input<TSchema>,
  options: { eventId?: string; version?: number; occurredAt?: Date } = {},
): Omit<EventEnvelope<TType, z.infer<TSchema>>, 'version'> & { version?: number } {
  return {
    eventId: options.eventId ?? randomUUID(),
    eventType: definition.type,
    aggregateType: definition.aggregateType,
    aggregateId,
    ...(options.version ? { version: options.version } : {}),
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    data: definition.schema.parse(data),
  };
}

/** Parses a wire payload into an envelope (handlers validate `data` against their event's schema). */
export function parseEnvelope(payload: string): EventEnvelope {
  return envelopeSchema.parse(JSON.parse(payload));
}
