export * from './http.js';
export * from './postgres.js';
export * from './supergraph.js';
export * from './redis.js';
export * from './fake-llm.js';
export * from './ai.js';
export * from './operation.js';
