export * from './format-error.js';
export * from './http.js';
export * from './subgraph.js';
export * from './scalars.js';
