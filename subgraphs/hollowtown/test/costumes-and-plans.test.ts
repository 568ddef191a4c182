import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '@calos/auth';
import { newViewer, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('costumes');
});

afterAll(async () => {
  await h?.close();
});

const COSTUME_FIELDS = 'id name difficulty materials costEstimateCents imageUrl upvotes viewerHasUpvoted author { id } createdAt';
const CREATE_COSTUME = `mutation($input: CreateCostumeInput!) { createCostume(input: $input) { ${COSTUME_FIELDS} } }`;
const UPVOTE = `mutation($id: ID!) { upvoteCostume(id: $id) { id upvotes viewerHasUpvoted } }`;
const UNVOTE = `mutation($id: ID!) { removeCostumeUpvote(id: $id) { id upvotes viewerHasUpvoted } }`;
const GET_COSTUME = `query($id: ID!) { costume(id: $id) { ${COSTUME_FIELDS} } }`;
const LIST = `query($sort: CostumeSort, $first: Int, $after: String) {
  costumes(sort: $sort, first: $first, after: $after) { totalCount edges { node { id upvotes } } pageInfo { hasNextPage endCursor } }
}`;

async function costume(author: Viewer = newViewer(), overrides: Record<string, unknown> = {}) {
  const input = { name: 'Plague Doctor', difficulty: 'HARD', materials: ['beaked mask', 'black cloak'], costEstimateCents: 6_500, ...overrides };
  return (await h.ok(CREATE_COSTUME, { input }, author)).createCostume;
}

describe('costumes', () => {
  it('creates a costume idea and validates it per field', async () => {
    const author = newViewer();
    const created = await costume(author, { imageUrl: 'https://img.example/plague.jpg' });
    expect(created).toMatchObject({
      name: 'Plague Doctor',
      difficulty: 'HARD',
      materials: ['beaked mask', 'black cloak'],
      costEstimateCents: 6_500,
      upvotes: 0,
      viewerHasUpvoted: false,
      author: { id: author.userId },
    });
    const bad = await h.gql(CREATE_COSTUME, { input: { name: '', costEstimateCents: -1, difficulty: 'NIGHTMARE' } }, author);
    expect(bad.fields).toEqual({ 'input.name': ['must not be empty'], 'input.costEstimateCents': ['must not be negative'] });
    expect((await h.gql(CREATE_COSTUME, { input: { name: 'Ghost' } })).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('counts 50 concurrent upvotes by 50 users plus 10 repeat votes by one user as exactly 51', async () => {
    const target = await costume();
    const voters = Array.from({ length: 50 }, () => newViewer());
    const repeater = newViewer();
    const results = await Promise.all([
      ...voters.map((v) => h.gql(UPVOTE, { id: target.id }, v)),
      ...Array.from({ length: 10 }, () => h.gql(UPVOTE, { id: target.id }, repeater)),
    ]);
    expect(results.flatMap((r) => r.codes)).toEqual([]);
    expect(results.every((r) => r.data?.upvoteCostume.viewerHasUpvoted === true)).toBe(true);

    expect((await h.ok(GET_COSTUME, { id: target.id }, repeater)).costume).toMatchObject({ upvotes: 51, viewerHasUpvoted: true });
    expect((await h.ok(GET_COSTUME, { id: target.id }, newViewer())).costume).toMatchObject({ upvotes: 51, viewerHasUpvoted: false });
    expect(await h.service.services.db.costumeVote.count({ where: { costumeId: target.id } })).toBe(51);

    // A repeat vote is a no-op that returns the costume; taking a vote back works once.
    expect((await h.ok(UPVOTE, { id: target.id }, repeater)).upvoteCostume).toEqual({ id: target.id, upvotes: 51, viewerHasUpvoted: true });
    const [first, second] = await Promise.all([h.gql(UNVOTE, { id: target.id }, repeater), h.gql(UNVOTE, { id: target.id }, repeater)]);
    expect([first.data?.removeCostumeUpvote.upvotes, second.data?.removeCostumeUpvote.upvotes]).toEqual([50, 50]);
    expect((await h.ok(GET_COSTUME, { id: target.id }, repeater)).costume).toMatchObject({ upvotes: 50, viewerHasUpvoted: false });

    expect((await h.gql(UPVOTE, { id: '00000000-0000-4000-8000-000000000000' }, repeater)).codes).toEqual(['NOT_FOUND']);
    expect((await h.gql(UPVOTE, { id: target.id })).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('lists TOP (most upvoted, newest among equals) and NEW, page by page', async () => {
    const a = await costume(newViewer(), { name: 'Banshee' });
    const b = await costume(newViewer(), { name: 'Scarecrow' });
    const c = await costume(newViewer(), { name: 'Headless Horseman' });
    for (const v of [newViewer(), newViewer()]) await h.ok(UPVOTE, { id: b.id }, v);
    await h.ok(UPVOTE, { id: a.id }, newViewer());

    const walk = async (sort: string) => {
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const page: any = (await h.ok(LIST, { sort, first: 2, after })).costumes;
        ids.push(...page.edges.map((e: any) => e.node.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return ids;
    };
    const total = await h.service.services.db.costume.count();
    const top = await walk('TOP');
    const fresh = await walk('NEW');
    expect(top).toHaveLength(total);
    expect(new Set(top).size).toBe(total);
    expect(fresh).toHaveLength(total);
    expect(fresh.slice(0, 3)).toEqual([c.id, b.id, a.id]);
    // Among these three: b (2 votes), a (1), c (0).
    expect(top.filter((id) => [a.id, b.id, c.id].includes(id))).toEqual([b.id, a.id, c.id]);
    const upvotesInOrder = (await h.ok(LIST, { sort: 'TOP', first: 100 })).costumes.edges.map((e: any) => e.node.upvotes);
    expect(upvotesInOrder).toEqual([...upvotesInOrder].sort((x: number, y: number) => y - x));
  });

  it('resolves costumes through _entities and User.costumes; only the author deletes one', async () => {
    const author = newViewer();
    const mine = await costume(author, { name: 'Vampire Bat' });
    const refs = [{ __typename: 'Costume', id: mine.id }, { __typename: 'Costume', id: 'nope' }];
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Costume { id name } } }`;
    expect((await h.ok(ENTITIES, { r: refs }))._entities).toEqual([{ id: mine.id, name: 'Vampire Bat' }, null]);
    const USER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { costumes { id } } } }`;
    expect((await h.ok(USER, { r: [{ __typename: 'User', id: author.userId }] }))._entities).toEqual([{ costumes: [{ id: mine.id }] }]);

    await h.ok(UPVOTE, { id: mine.id }, newViewer());
    expect((await h.gql(`mutation($id: ID!) { deleteCostume(id: $id) }`, { id: mine.id }, newViewer())).codes).toEqual(['FORBIDDEN']);
    expect((await h.ok(`mutation($id: ID!) { deleteCostume(id: $id) }`, { id: mine.id }, author)).deleteCostume).toBe(mine.id);
    expect((await h.ok(GET_COSTUME, { id: mine.id })).costume).toBeNull();
    expect(await h.service.services.db.costumeVote.count({ where: { costumeId: mine.id } })).toBe(0);
  });
});

const PLAN_FIELDS = 'id roomName scareLevel propsNeeded setupInstructions owner { id }';
const CREATE_PLAN = `mutation($input: CreateHauntedHousePlanInput!) { createHauntedHousePlan(input: $input) { ${PLAN_FIELDS} } }`;
const UPDATE_PLAN = `mutation($id: ID!, $input: UpdateHauntedHousePlanInput!) { updateHauntedHousePlan(id: $id, input: $input) { ${PLAN_FIELDS} } }`;
const DELETE_PLAN = `mutation($id: ID!) { deleteHauntedHousePlan(id: $id) }`;

describe('haunted-house plans', () => {
  it('are created, read, updated and deleted by their owner only', async () => {
    const owner = newViewer();
    const other = newViewer();
    const input = {
      roomName: 'Crypt Corridor',
      scareLevel: 7,
      propsNeeded: ['fog machine', 'strobe light', 'coffin'],
      setupInstructions: ['Black out the windows.', 'Hide the fog machine behind the coffin.'],
    };
    const plan = (await h.ok(CREATE_PLAN, { input }, owner)).createHauntedHousePlan;
    expect(plan).toMatchObject({ ...input, owner: { id: owner.userId } });

    expect((await h.ok(`query($id: ID!) { hauntedHousePlan(id: $id) { id } }`, { id: plan.id }, other)).hauntedHousePlan).toBeNull();
    expect((await h.ok('{ hauntedHousePlans { id } }', {}, other)).hauntedHousePlans).toEqual([]);
    expect((await h.ok('{ hauntedHousePlans { id } }', {}, owner)).hauntedHousePlans).toEqual([{ id: plan.id }]);
    const USER = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { hauntedHousePlans { id } } } }`;
    const r = [{ __typename: 'User', id: owner.userId }];
    expect((await h.ok(USER, { r }, owner))._entities).toEqual([{ hauntedHousePlans: [{ id: plan.id }] }]);
    expect((await h.ok(USER, { r }, other))._entities).toEqual([{ hauntedHousePlans: null }]);

    const updated = (await h.ok(UPDATE_PLAN, { id: plan.id, input: { scareLevel: 10, propsNeeded: ['chainsaw (no chain)'] } }, owner)).updateHauntedHousePlan;
    expect(updated).toMatchObject({ roomName: 'Crypt Corridor', scareLevel: 10, propsNeeded: ['chainsaw (no chain)'] });
    expect((await h.gql(UPDATE_PLAN, { id: plan.id, input: { roomName: 'Mine' } }, other)).codes).toEqual(['NOT_FOUND']);
    expect((await h.gql(DELETE_PLAN, { id: plan.id }, other)).codes).toEqual(['NOT_FOUND']);
    expect((await h.ok(DELETE_PLAN, { id: plan.id }, owner)).deleteHauntedHousePlan).toBe(plan.id);
    expect((await h.gql(DELETE_PLAN, { id: plan.id }, owner)).codes).toEqual(['NOT_FOUND']);
  });

  it('rejects a scare level outside 1–10, writing nothing', async () => {
    const owner = newViewer();
    const before = await h.service.services.db.hauntedHousePlan.count();
    const result = await h.gql(CREATE_PLAN, { input: { roomName: 'Attic', scareLevel: 11 } }, owner);
    expect(result.fields).toEqual({ 'input.scareLevel': ['must be from 1 to 10'] });
    expect(await h.service.services.db.hauntedHousePlan.count()).toBe(before);
  });
});
