import { GraphQLError } from 'graphql';
import type { z } from 'zod';

/** The stable `extensions.code` values of SPEC §3. Clients switch on these. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  INSUFFICIENT_CREDITS: 'INSUFFICIENT_CREDITS',
  AI_UNAVAILABLE: 'AI_UNAVAILABLE',
  /** The model's answer did not fit the feature's schema, even after one repair attempt. */
  AI_INVALID_OUTPUT: 'AI_INVALID_OUTPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that are safe to show a client as they are; anything else is masked. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Apollo Server's own request-level codes.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type FieldErrors = Record<string, string[]>;

export const unauthenticated = (message = 'You must be signed in.') =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

export const forbidden = (message = 'You are not allowed to do that.') =>
  new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

export const notFound = (what: string) =>
  new GraphQLError(`${what} not found.`, { extensions: { code: ErrorCode.NOT_FOUND } });

export const badUserInput = (fields: FieldErrors, message?: string) =>
  new GraphQLError(message ?? summarise(fields), { extensions: { code: ErrorCode.BAD_USER_INPUT, fields } });

export const rateLimited = (retryAfterSeconds: number) =>
  new GraphQLError(`Too many requests. Try again in ${retryAfterSeconds} s.`, {
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
  });

function summarise(fields: FieldErrors): string {
  const parts = Object.entries(fields).map(([field, messages]) => `${field}: ${messages.join('; ')}`);
  return `Invalid input. ${parts.join('. ')}`;
}

/** Turns a zod failure into per-field messages keyed by the input path (`input.email`). */
export function fieldErrorsFromZod(error: z.ZodError, prefix?: string): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || (prefix ?? 'input');
    (fields[path] ??= []).push(issue.message);
  }
  return fields;
}

/** Validates resolver input; throws BAD_USER_INPUT with per-field messages before anything is written. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = 'input'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badUserInput(fieldErrorsFromZod(result.error, prefix));
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** IDs are UUIDs; anything else cannot name a row and is simply not found. */
export const isUuid = (value: string) => UUID.test(value);
