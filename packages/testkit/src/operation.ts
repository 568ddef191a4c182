import type { ApolloServer, BaseContext } from '@apollo/server';

/** What a subgraph-level test reads from an operation: data, errors, their codes and the first error's fields. */
export interface OperationResult {
  data: Record<string, any> | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown> }[] | undefined;
  /** `extensions.code` of every error, in order. */
  codes: string[];
  /** `extensions.fields` of the first error. */
  fields: Record<string, string[]> | undefined;
}

/** Runs an operation in-process against a subgraph's Apollo server with the given context (no HTTP, no gateway). */
export async function runOperation(
  apollo: ApolloServer<BaseContext>,
  contextValue: BaseContext,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<OperationResult> {
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  const errs = errors as OperationResult['errors'];
  return {
    data: data as OperationResult['data'],
    errors: errs,
    codes: (errs ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'NONE')),
    fields: errs?.[0]?.extensions?.fields as OperationResult['fields'],
  };
}
