import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, meQuery, registerMutation, type MeQuery } from '@calos/client';
import { repoRoot } from '@calos/db';
import { startTestSupergraph, uniqueSuffix, type TestSupergraph } from '@calos/testkit';

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.close();
});

describe('typed client generated from the supergraph', () => {
  it('runs the example operations against the gateway with typed results', async () => {
    let token: string | null = null;
    const client = createClient({ url: sg.gatewayUrl, accessToken: () => token });
    const username = `typed_${uniqueSuffix()}`;
    const registered = await client.request(registerMutation, {
      input: { username, email: `${username}@example.test`, password: 'a long enough password' },
    });
    expect(registered.errors).toBeUndefined();
    token = registered.data!.register.accessToken;

    const me = await client.request(meQuery);
    expectTypeOf(me.data!.me).toEqualTypeOf<MeQuery['me']>();
    expect(me.data!.me).toMatchObject({ username, email: `${username}@example.test`, credits: { balance: 100 } });
  });

  it('type-checks the example app code, including the misuse it must reject', async () => {
    const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
    const result = await promisify(execFile)(tsc, ['--noEmit', '-p', join(repoRoot, 'packages/client/tsconfig.json')]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);
});
