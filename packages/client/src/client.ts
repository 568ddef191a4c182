import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql */
  url: string;
  /** Returns the current access token, if signed in. */
  accessToken?: () => string | null | undefined;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

export interface Client {
  request<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    ...variables: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<GraphQLResponse<TData>>;
}

/** A minimal typed client: the result type follows from the operation document. */
export function createClient({ url, accessToken, fetch: doFetch = fetch, headers = {} }: ClientOptions): Client {
  return {
    async request(document, ...[variables]) {
      const token = accessToken?.();
      const response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
  };
}
