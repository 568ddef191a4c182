export * from './client.js';
export * from './domains.js';
export * from './embedded.js';
export * from './migrations.js';
export * from './provision.js';
export * from './transactions.js';
