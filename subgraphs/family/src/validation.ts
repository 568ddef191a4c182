import { z } from 'zod';

const DAY = 24 * 60 * 60 * 1000;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const name = (max: number) => text(max).min(1, 'must not be empty');

export const uuidArg = z.uuid('is not a valid id');

/** A point in time a family plans for: far-off years are typos, not plans. */
const dateTime = z
  .date()
  .min(new Date('1900-01-01T00:00:00.000Z'), 'must be in 1900 or later')
  .max(new Date('2200-01-01T00:00:00.000Z'), 'must be before 2200');

export const familyRoleInput = z.enum(['ADMIN', 'PARENT', 'CHILD']);

export const createFamilyInput = z.object({ name: name(100) });
export const updateFamilyInput = z.object({ name: name(100).optional() });

/**
 * Whom an invitation is for, as the inviter knows them: a username or an email address
 * (identity's rules), lower-cased. It is not resolved here (identity owns users); the
 * invitee proves who they are by redeeming the token while signed in.
 */
export const loginInput = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(254, 'must be at most 254 characters')
  .refine((login) => (login.includes('@') ? z.email().safeParse(login).success : /^[a-z0-9_]{3,32}$/.test(login)), {
    message: 'must be a username (3–32 letters, digits or underscores) or an email address',
  });

export const inviteInput = z.object({ login: loginInput, role: familyRoleInput });

export const tokenInput = z.string().trim().min(1, 'is required').max(200, 'is not a valid invitation');

const listType = z.enum(['PERSONAL', 'SHARED', 'CHORES']);
export const createTodoListInput = z.object({ name: name(100), type: listType.nullish() });
export const updateTodoListInput = z.object({ name: name(100).optional(), type: listType.optional() });

export const priority = z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
export const todoStatus = z.enum(['TODO', 'IN_PROGRESS', 'DONE']);

export const createTodoItemInput = z.object({
  title: name(200),
  description: text(2000).nullish(),
  assignedToId: uuidArg.nullish(),
  dueDate: dateTime.nullish(),
  priority: priority.nullish(),
});

export const suggestTodoItemsInput = z.object({
  // Not a UUID: NOT_FOUND like any other unknown list.
  listId: z.string(),
  prompt: text(500).nullish(),
  count: z.number().int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20'),
  model: name(120).nullish(),
  idempotencyKey: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
});

/** Every field optional; `null` clears description and due date. */
export const updateTodoItemInput = z.object({
  title: name(200).optional(),
  description: text(2000).nullish(),
  dueDate: dateTime.nullish(),
  priority: priority.optional(),
  status: todoStatus.optional(),
});

const eventType = z.enum(['APPOINTMENT', 'BIRTHDAY', 'SCHOOL', 'VACATION', 'OTHER']);
const attendeeIds = z
  .array(uuidArg)
  .max(50, 'at most 50 attendees')
  .transform((ids) => [...new Set(ids)]);
const reminders = z
  .array(z.number().int('must be whole minutes').min(0, 'must not be negative').max(40_320, 'must be at most 40320 minutes (4 weeks)'))
  .max(10, 'at most 10 reminders')
  .transform((minutes) => [...new Set(minutes)].sort((a, b) => a - b));

export const createFamilyEventInput = z
  .object({
    name: name(100),
    type: eventType.nullish(),
    startTime: dateTime,
    endTime: dateTime,
    location: text(200).nullish(),
    attendeeIds: attendeeIds.nullish(),
    reminders: reminders.nullish(),
  })
  .refine((event) => event.endTime >= event.startTime, { path: ['endTime'], message: 'must not be before startTime' });

/** Every field optional; `null` clears the location. The merged times are checked against each other. */
export const updateFamilyEventInput = z.object({
  name: name(100).optional(),
  type: eventType.optional(),
  startTime: dateTime.optional(),
  endTime: dateTime.optional(),
  location: text(200).nullish(),
  attendeeIds: attendeeIds.optional(),
  reminders: reminders.optional(),
});

export const MAX_CALENDAR_DAYS = 400;

export const calendarRange = z
  .object({ from: z.date(), to: z.date() })
  .refine((r) => r.to >= r.from, { path: ['to'], message: 'must not be before from' })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_CALENDAR_DAYS * DAY, {
    path: ['to'],
    message: `must be at most ${MAX_CALENDAR_DAYS} days after from`,
  });

export type CalendarRange = z.infer<typeof calendarRange>;
