export * from './client.js';
export * from './operations/account.js';
export type * from './gql/graphql.js';
export { graphql } from './gql/index.js';
export * from './operations/ai.js';
