export * from './tokens.js';
export * from './gateway-secret.js';
export * from './service-tokens.js';
