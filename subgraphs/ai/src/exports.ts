export { aiEnvSchema, type AiEnv } from './env.js';
export { startAiService, devKekFile, typeDefs, type AiService } from './server.js';
export { OllamaPool } from './llm/ollama-pool.js';
