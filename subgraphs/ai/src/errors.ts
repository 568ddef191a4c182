import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode } from '@calos/kernel';
import { AiError } from './engine.js';

/** An engine refusal as the GraphQL error a client switches on (same code, same extensions). */
export async function asGraphQL<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AiError)) throw error;
    // The only conflict a user can cause: the same idempotency key while its first request runs.
    if (error.code === 'CONFLICT') throw badUserInput({ 'input.idempotencyKey': [error.message] });
    if (error.code === ErrorCode.UNAUTHENTICATED) throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
    throw new GraphQLError(error.message, { extensions: { code: error.code, ...error.extensions } });
  }
}
