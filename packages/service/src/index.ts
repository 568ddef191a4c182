export * from './format-error.js';
export * from './http.js';
export * from './subgraph.js';
export * from './scalars.js';
export * from './domain-service.js';
export * from './main.js';
export * from './pagination.js';
