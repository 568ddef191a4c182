export * from './env.js';
export * from './errors.js';
export * from './logger.js';
export * from './request-scope.js';
export * from './read-your-writes.js';
