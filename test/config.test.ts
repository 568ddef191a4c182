import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@calos/db';

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

async function start(entry: string, env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/DATABASE_URL|SECRET|JWT_|PORT/.test(k)));
  return promisify(execFile)(tsx, [join(repoRoot, entry)], { env: { ...clean, ...env }, timeout: 30_000 }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe('service configuration', () => {
  it('identity names every bad variable in one message and exits non-zero', async () => {
    const { code, stderr } = await start('subgraphs/identity/src/index.ts', {
      NODE_ENV: 'production',
      PORT: '99999',
      GATEWAY_SECRET: 'too-short',
      IDENTITY_DATABASE_URL: 'mysql://nope',
      JWT_PRIVATE_JWKS: '{"not":"an array"}',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('Invalid environment for identity:');
    for (const name of ['PORT', 'GATEWAY_SECRET', 'IDENTITY_DATABASE_URL', 'JWT_PRIVATE_JWKS']) expect(stderr).toContain(`  - ${name}:`);
  });

  it('identity in production requires a real database and signing keys', async () => {
    const { code, stderr } = await start('subgraphs/identity/src/index.ts', { NODE_ENV: 'production', GATEWAY_SECRET: 'x'.repeat(40), SERVICE_TOKEN_SECRET: 's'.repeat(40) });
    expect(code).toBe(78);
    expect(stderr).toContain('IDENTITY_DATABASE_URL: is required in production');
    expect(stderr).toContain('JWT_PRIVATE_JWKS: is required in production');
  });

  it('ai in production requires its database and key-encryption keys, and names malformed AI settings', async () => {
    const production = await start('subgraphs/ai/src/index.ts', { NODE_ENV: 'production', GATEWAY_SECRET: 'x'.repeat(40), SERVICE_TOKEN_SECRET: 's'.repeat(40) });
    expect(production.code).toBe(78);
    expect(production.stderr).toContain('AI_DATABASE_URL: is required in production');
    expect(production.stderr).toContain('AI_KEY_ENCRYPTION_KEYS: is required in production');
    const malformed = await start('subgraphs/ai/src/index.ts', {
      GATEWAY_SECRET: 'x'.repeat(40),
      SERVICE_TOKEN_SECRET: 'short',
      OLLAMA_HOSTS: 'http://ok:11434,not a url',
      AI_MODEL_CREDITS: '{"big": -1}',
    });
    expect(malformed.code).toBe(78);
    for (const name of ['SERVICE_TOKEN_SECRET', 'OLLAMA_HOSTS', 'AI_MODEL_CREDITS']) expect(malformed.stderr).toContain(`  - ${name}`);
  });

  it('the gateway names every bad variable in one message and exits non-zero', async () => {
    const { code, stderr } = await start('gateway/src/index.ts', { IDENTITY_JWKS_URL: 'not a url', MAX_DEPTH: '0' });
    expect(code).toBe(78);
    expect(stderr).toContain('Invalid environment for gateway:');
    for (const name of ['GATEWAY_SECRET', 'IDENTITY_JWKS_URL', 'MAX_DEPTH']) expect(stderr).toContain(`  - ${name}:`);
  });
});
