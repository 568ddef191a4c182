import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '@calos/auth';
import { useFamilyService } from './harness.js';

const f = useFamilyService('family_calendar');

const EVENT_FIELDS = `id name type startTime endTime location attendees { id } reminders family { id }`;
const CREATE = `mutation($f: ID!, $input: CreateFamilyEventInput!) { createFamilyEvent(familyId: $f, input: $input) { ${EVENT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateFamilyEventInput!) { updateFamilyEvent(id: $id, input: $input) { ${EVENT_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteFamilyEvent(id: $id) }`;
const CALENDAR = `query($id: ID!, $from: DateTime!, $to: DateTime!) { family(id: $id) { calendar(from: $from, to: $to) { name } } }`;

let familyId: string;
let admin: Viewer;
let parent: Viewer;
let child: Viewer;
let outsider: Viewer;

beforeAll(async () => {
  ({ familyId, admin, parent, child, outsider } = await f.household());
});

const event = (name: string, startTime: string, endTime: string, extra: Record<string, unknown> = {}) => ({ name, startTime, endTime, ...extra });

async function create(input: Record<string, unknown>, by: Viewer = parent, family = familyId) {
  return (await f.ok(CREATE, { f: family, input }, by)).createFamilyEvent;
}

async function calendar(from: string, to: string, by: Viewer = child, family = familyId): Promise<string[]> {
  const data = await f.ok(CALENDAR, { id: family, from, to }, by);
  return data.family.calendar.map((e: { name: string }) => e.name);
}

describe('the family calendar', () => {
  it('lets ADMINs and PARENTs manage events; CHILDren only look', async () => {
    const created = await create(
      event('Parents evening', '2027-02-03T18:00:00Z', '2027-02-03T20:00:00Z', {
        type: 'SCHOOL',
        location: ' Main hall ',
        attendeeIds: [parent.userId, child.userId, parent.userId],
        reminders: [60, 1440, 60, 0],
      }),
    );
    expect(created).toMatchObject({
      name: 'Parents evening',
      type: 'SCHOOL',
      startTime: '2027-02-03T18:00:00.000Z',
      endTime: '2027-02-03T20:00:00.000Z',
      location: 'Main hall',
      attendees: [{ id: parent.userId }, { id: child.userId }],
      reminders: [0, 60, 1440],
      family: { id: familyId },
    });

    expect((await f.gql(CREATE, { f: familyId, input: event('Sleepover', '2027-02-05T18:00:00Z', '2027-02-06T10:00:00Z') }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(UPDATE, { id: created.id, input: { name: 'Cancelled!' } }, child)).codes).toEqual(['FORBIDDEN']);
    expect((await f.gql(DELETE, { id: created.id }, child)).codes).toEqual(['FORBIDDEN']);

    const updated = (await f.ok(UPDATE, { id: created.id, input: { location: null, attendeeIds: [admin.userId], reminders: [] } }, admin)).updateFamilyEvent;
    expect(updated).toMatchObject({ name: 'Parents evening', location: null, attendees: [{ id: admin.userId }], reminders: [] });

    expect((await f.ok(DELETE, { id: created.id }, parent)).deleteFamilyEvent).toBe(created.id);
    expect((await f.ok(`query($id: ID!) { familyEvent(id: $id) { id } }`, { id: created.id }, admin)).familyEvent).toBeNull();
  });

  it('does not exist for outsiders', async () => {
    const created = await create(event('Secret', '2027-03-01T10:00:00Z', '2027-03-01T11:00:00Z'));
    expect((await f.gql(CREATE, { f: familyId, input: event('Crash', '2027-03-01T10:00:00Z', '2027-03-01T11:00:00Z') }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(UPDATE, { id: created.id, input: { name: 'Mine now' } }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.gql(DELETE, { id: created.id }, outsider)).codes).toEqual(['NOT_FOUND']);
    expect((await f.ok(`query($id: ID!) { familyEvent(id: $id) { id } }`, { id: created.id }, outsider)).familyEvent).toBeNull();
    expect((await f.ok(CALENDAR, { id: familyId, from: '2027-03-01T00:00:00Z', to: '2027-03-02T00:00:00Z' }, outsider)).family).toBeNull();
  });

  it('returns the events overlapping [from, to), by start time', async () => {
    const other = await f.createFamily(admin, 'Other family');
    await create(event('other family', '2027-06-10T09:00:00Z', '2027-06-10T10:00:00Z'), admin, other);
    await create(event('ends at from', '2027-06-09T22:00:00Z', '2027-06-10T00:00:00Z'));
    await create(event('vacation', '2027-06-01T00:00:00Z', '2027-06-20T00:00:00Z', { type: 'VACATION' }));
    await create(event('lunch', '2027-06-10T12:00:00Z', '2027-06-10T13:00:00Z'));
    await create(event('birthday', '2027-06-10T00:00:00Z', '2027-06-10T00:00:00Z', { type: 'BIRTHDAY' }));
    await create(event('overnight', '2027-06-10T22:00:00Z', '2027-06-11T08:00:00Z'));
    await create(event('starts at to', '2027-06-11T00:00:00Z', '2027-06-11T01:00:00Z'));
    await create(event('next month', '2027-07-10T12:00:00Z', '2027-07-10T13:00:00Z'));

    expect(await calendar('2027-06-10T00:00:00Z', '2027-06-11T00:00:00Z')).toEqual(['vacation', 'birthday', 'lunch', 'overnight']);
    expect(await calendar('2027-06-10T00:00:00Z', '2027-06-11T00:00:00Z', admin, other)).toEqual(['other family']);
    expect(await calendar('2027-05-01T00:00:00Z', '2027-05-31T00:00:00Z')).toEqual([]);
  });

  it('refuses ranges that are backwards or longer than 400 days', async () => {
    const backwards = await f.gql(CALENDAR, { id: familyId, from: '2027-06-10T00:00:00Z', to: '2027-06-01T00:00:00Z' }, child);
    expect(backwards.codes).toEqual(['BAD_USER_INPUT']);
    expect(backwards.fields).toEqual({ to: ['must not be before from'] });
    const huge = await f.gql(CALENDAR, { id: familyId, from: '2027-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z' }, child);
    expect(huge.fields).toEqual({ to: ['must be at most 400 days after from'] });
  });

  it('validates events per field and writes nothing', async () => {
    const count = () => f.service.services.db.familyEvent.count({ where: { familyId } });
    const before = await count();

    const backwards = await f.gql(CREATE, { f: familyId, input: event('Backwards', '2027-04-02T10:00:00Z', '2027-04-02T09:00:00Z') }, parent);
    expect(backwards.codes).toEqual(['BAD_USER_INPUT']);
    expect(backwards.fields).toEqual({ 'input.endTime': ['must not be before startTime'] });

    const reminders = await f.gql(CREATE, { f: familyId, input: event('Too early', '2027-04-02T10:00:00Z', '2027-04-02T11:00:00Z', { reminders: [40_321, -1] }) }, parent);
    expect(reminders.fields).toEqual({
      'input.reminders.0': ['must be at most 40320 minutes (4 weeks)'],
      'input.reminders.1': ['must not be negative'],
    });

    const stranger = await f.gql(CREATE, { f: familyId, input: event('Party', '2027-04-02T10:00:00Z', '2027-04-02T11:00:00Z', { attendeeIds: [child.userId, outsider.userId] }) }, parent);
    expect(stranger.codes).toEqual(['BAD_USER_INPUT']);
    expect(stranger.fields).toEqual({ 'input.attendeeIds': [`${outsider.userId} is not a member of this family`] });

    const name = await f.gql(CREATE, { f: familyId, input: event('n'.repeat(101), '2027-04-02T10:00:00Z', '2027-04-02T11:00:00Z') }, parent);
    expect(name.fields).toEqual({ 'input.name': ['must be at most 100 characters'] });
    expect(await count()).toBe(before);

    // An update is checked against the times it keeps.
    const created = await create(event('Checkup', '2027-04-05T10:00:00Z', '2027-04-05T11:00:00Z'));
    const moved = await f.gql(UPDATE, { id: created.id, input: { endTime: '2027-04-05T09:00:00Z' } }, parent);
    expect(moved.fields).toEqual({ 'input.endTime': ['must not be before startTime'] });
    const late = await f.gql(UPDATE, { id: created.id, input: { startTime: '2027-04-05T12:00:00Z' } }, parent);
    expect(late.fields).toEqual({ 'input.startTime': ['must not be after endTime'] });
    const fine = (await f.ok(UPDATE, { id: created.id, input: { startTime: '2027-04-05T12:00:00Z', endTime: '2027-04-05T13:00:00Z' } }, parent)).updateFamilyEvent;
    expect(fine).toMatchObject({ startTime: '2027-04-05T12:00:00.000Z', endTime: '2027-04-05T13:00:00.000Z' });
  });
});
