export { gatewayEnvSchema, type GatewayEnv } from './env.js';
export { startGateway, type RunningGateway, type GatewayContext } from './server.js';
export * from './composition.js';
