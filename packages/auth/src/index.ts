export * from './tokens.js';
export * from './gateway-secret.js';
