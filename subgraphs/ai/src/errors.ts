import { GraphQLError } from 'graphql';
import { AiError } from './engine.js';

/** An engine refusal as the GraphQL error a client switches on (same code, same extensions). */
export async function asGraphQL<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AiError) throw new GraphQLError(error.message, { extensions: { code: error.code, ...error.extensions } });
    throw error;
  }
}
