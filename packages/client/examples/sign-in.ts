/**
 * How an app uses the typed client. This file is type-checked by the test suite: the
 * `@ts-expect-error` lines must stay errors, or the types have stopped protecting callers.
 */
import { createClient, loginMutation, meQuery, type MeQuery } from '../src/index.js';

export async function signIn(url: string, login: string, password: string): Promise<string | null> {
  let token: string | null = null;
  const client = createClient({ url, accessToken: () => token });

  const result = await client.request(loginMutation, { input: { login, password, deviceName: 'Example app' } });
  token = result.data?.login.accessToken ?? null;

  const me = await client.request(meQuery);
  const user: MeQuery['me'] = me.data?.me ?? null;
  // Fields come back typed: `balance` is a number, `email` may be null for others.
  const balance: number | undefined = user?.credits?.balance;
  const email: string | null | undefined = user?.email;
  void balance;
  void email;

  // @ts-expect-error — `login` requires its input variables
  await client.request(loginMutation);
  // @ts-expect-error — a misspelt variable is caught at compile time
  await client.request(loginMutation, { input: { login, pasword: password } });
  // @ts-expect-error — `me` has no `password` field
  void me.data?.me?.password;

  return user?.username ?? null;
}
