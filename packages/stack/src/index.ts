export * from './subgraphs.js';
export * from './supergraph.js';
export * from './demo.js';
export * from './env.js';
