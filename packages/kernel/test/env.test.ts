import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, envVars, parseEnv } from '@calos/kernel';

const schema = z.object({
  PORT: envVars.port(4000),
  DATABASE_URL: envVars.postgresUrl,
  GATEWAY_SECRET: envVars.gatewaySecret,
  NODE_ENV: envVars.nodeEnv,
});

describe('parseEnv', () => {
  it('applies defaults and coerces numbers', () => {
    expect(parseEnv('svc', schema, { DATABASE_URL: 'postgresql://h/db', GATEWAY_SECRET: 's'.repeat(32) })).toEqual({
      PORT: 4000,
      DATABASE_URL: 'postgresql://h/db',
      GATEWAY_SECRET: 's'.repeat(32),
      NODE_ENV: 'development',
    });
  });

  it('names every bad or missing variable in one error', () => {
    let error: unknown;
    try {
      parseEnv('svc', schema, { PORT: 'eighty', GATEWAY_SECRET: 'short', NODE_ENV: 'prod' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const { problems, message } = error as EnvError;
    expect(problems).toHaveLength(4);
    expect(message).toMatch(/^Invalid environment for svc:/);
    expect(message).toContain('DATABASE_URL: is required');
    expect(message).toMatch(/PORT: /);
    expect(message).toContain('GATEWAY_SECRET: must be at least 32 characters');
    expect(message).toMatch(/NODE_ENV: .*development.*test.*production/);
  });
});
