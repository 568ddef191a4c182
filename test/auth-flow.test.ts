import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSupergraph, type TestSupergraph } from '@calos/testkit';

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) { accessToken refreshToken expiresAt user { id username email } device { id name type current } }
}`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken expiresAt user { id } } }`;
const ME = `{ me { id username displayName email createdAt credits { balance ledger { kind amount reason } } subscription { plan { code } status } devices { id current } sessions { id current device { id } } } }`;

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
});
afterAll(async () => {
  await sg?.close();
});

describe('sign-in lifecycle through the gateway', () => {
  it('register → login → me → refresh (rotation + reuse detection) → logout', async () => {
    const alice = await sg.signUp({ username: `Alice_${Date.now().toString(36)}`, password: 'correct horse battery staple' });

    // login with the username in another case, from a second device
    const login = await sg.gql(LOGIN, {
      input: { login: alice.username.toUpperCase(), password: 'correct horse battery staple', deviceName: 'Phone', deviceType: 'MOBILE' },
    });
    expect(login.errors).toBeUndefined();
    const session = login.data!.login;
    // the payload shows the user their own profile and marks the device just signed in as current
    expect(session.user).toEqual({ id: alice.id, username: alice.username.toLowerCase(), email: alice.email.toLowerCase() });
    expect(session.device).toMatchObject({ name: 'Phone', type: 'MOBILE', current: true });
    expect(new Date(session.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(new Date(session.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const me = await sg.gql(ME, {}, { token: session.accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({
      id: alice.id,
      email: alice.email.toLowerCase(),
      credits: { balance: 100, ledger: [{ kind: 'GRANT', amount: 100, reason: 'Welcome credits' }] },
      subscription: { plan: { code: 'free' }, status: 'ACTIVE' },
    });
    expect(me.data!.me.devices).toHaveLength(2);
    expect(me.data!.me.devices.filter((d: { current: boolean }) => d.current)).toEqual([{ id: session.device.id, current: true }]);
    expect(me.data!.me.sessions).toHaveLength(2);

    // refresh rotates: new tokens work, the old refresh token is now rejected
    const refreshed = await sg.gql(REFRESH, { t: session.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    const r2 = refreshed.data!.refreshSession;
    expect(r2.refreshToken).not.toBe(session.refreshToken);
    expect(r2.user.id).toBe(alice.id);
    expect((await sg.gql('{ me { id } }', {}, { token: r2.accessToken })).data).toEqual({ me: { id: alice.id } });

    const reused = await sg.gql(REFRESH, { t: session.refreshToken });
    expect(reused.codes).toEqual(['UNAUTHENTICATED']);
    expect(reused.data).toBeNull();
    // presenting the rotated token revoked the whole family: the new one is dead too
    const afterReuse = await sg.gql(REFRESH, { t: r2.refreshToken });
    expect(afterReuse.codes).toEqual(['UNAUTHENTICATED']);
    // ...and identity no longer honours that session's access token
    expect((await sg.gql('{ me { id } }', {}, { token: r2.accessToken })).codes).toEqual(['UNAUTHENTICATED']);
    // the other device (registration) is untouched
    expect((await alice.gql('{ me { id } }')).data).toEqual({ me: { id: alice.id } });

    // logout ends the current session: its refresh token can no longer refresh
    const logout = await alice.gql('mutation { logout }');
    expect(logout.data).toEqual({ logout: true });
    expect((await sg.gql(REFRESH, { t: alice.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await alice.gql('{ me { id } }')).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a wrong password and an unknown user with the same message', async () => {
    const bob = await sg.signUp();
    const wrong = await sg.gql(LOGIN, { input: { login: bob.username, password: 'not the password' } });
    const unknown = await sg.gql(LOGIN, { input: { login: 'nobody_at_all', password: 'not the password' } });
    expect(wrong.codes).toEqual(['UNAUTHENTICATED']);
    expect(unknown.codes).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    // login by email works too
    const byEmail = await sg.gql(LOGIN, { input: { login: bob.email.toUpperCase(), password: bob.password } });
    expect(byEmail.data!.login.user.id).toBe(bob.id);
  });

  it('me is null for an anonymous request', async () => {
    const res = await sg.gql('{ me { id } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: null });
  });

  it('revokeDevice ends every session on that device, only for its owner', async () => {
    const carol = await sg.signUp();
    const phone = await sg.gql(LOGIN, { input: { login: carol.username, password: carol.password, deviceName: 'Old phone' } });
    const phoneDevice = phone.data!.login.device.id;
    const mallory = await sg.signUp();
    const foreign = await mallory.gql('mutation($id: ID!) { revokeDevice(id: $id) { id } }', { id: phoneDevice });
    expect(foreign.codes).toEqual(['NOT_FOUND']);

    const revoked = await carol.gql('mutation($id: ID!) { revokeDevice(id: $id) { id revokedAt } }', { id: phoneDevice });
    expect(revoked.data!.revokeDevice.id).toBe(phoneDevice);
    expect(revoked.data!.revokeDevice.revokedAt).toBeTruthy();
    expect((await sg.gql(REFRESH, { t: phone.data!.login.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await carol.gql('{ me { sessions { device { id } } } }')).data!.me.sessions).toEqual([{ device: { id: carol.deviceId } }]);
  });

  it('pairs a new device with a one-time short code', async () => {
    const dana = await sg.signUp();
    const start = await dana.gql('mutation { startDevicePairing { code expiresAt } }');
    const { code } = start.data!.startDevicePairing;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);

    const COMPLETE = `mutation($input: CompleteDevicePairingInput!) {
      completeDevicePairing(input: $input) { accessToken user { id } device { name type } } }`;
    const paired = await sg.gql(COMPLETE, { input: { code: code.toLowerCase().replace('-', ' '), deviceName: 'Kitchen tablet', deviceType: 'TABLET' } });
    expect(paired.errors).toBeUndefined();
    expect(paired.data!.completeDevicePairing.user.id).toBe(dana.id);
    expect(paired.data!.completeDevicePairing.device).toEqual({ name: 'Kitchen tablet', type: 'TABLET' });
    const me = await sg.gql('{ me { id } }', {}, { token: paired.data!.completeDevicePairing.accessToken });
    expect(me.data).toEqual({ me: { id: dana.id } });

    const again = await sg.gql(COMPLETE, { input: { code } });
    expect(again.codes).toEqual(['BAD_USER_INPUT']);
    expect(again.errors![0]!.extensions!.fields).toEqual({ 'input.code': ['is invalid, already used or expired'] });
    expect((await sg.gql('mutation { startDevicePairing { code } }')).codes).toEqual(['UNAUTHENTICATED']);
  });
});
