import { DEMO_COSTUMES, DEMO_HALLOWEEN_EVENT, DEMO_HAUNTED_HOUSE_PLANS, DEMO_SPOOKY_RECIPES } from './demo/hollowtown-data.js';
import { DEMO_MEAL_PLAN, DEMO_PANTRY, DEMO_RECIPES } from './demo/kitchen-data.js';

/**
 * Demo data for `npm start`, loaded through the public API like any client would,
 * so it is valid by construction. Idempotent: an existing demo account is kept.
 */
export const DEMO_USER = {
  username: 'demo',
  email: 'demo@calos.local',
  password: 'hollowtown-demo',
  displayName: 'Demo Pumpkin',
} as const;

interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function call<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

async function must<T>(promise: Promise<GraphQLResult<T>>, what: string): Promise<T> {
  const result = await promise;
  if (!result.data || result.errors?.length) throw new Error(`Demo data: ${what} failed: ${result.errors?.map((e) => e.message).join('; ')}`);
  return result.data;
}

export interface DemoSummary {
  created: boolean;
  recipes: number;
  spookyRecipes: number;
  family: string[];
}

/** The rest of the demo family (same password as the demo account). */
export const DEMO_FAMILY = [
  { username: 'demo_gomez', email: 'gomez@calos.local', displayName: 'Gomez', role: 'PARENT' },
  { username: 'demo_wednesday', email: 'wednesday@calos.local', displayName: 'Wednesday', role: 'CHILD' },
] as const;

async function signIn(gatewayUrl: string, who: { username: string; email: string; displayName: string }): Promise<string> {
  const login = await call<{ login: { accessToken: string } }>(gatewayUrl, 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }', {
    input: { login: who.username, password: DEMO_USER.password, deviceName: 'Demo loader', deviceType: 'OTHER' },
  });
  if (login.data?.login) return login.data.login.accessToken;
  const registered = await must(
    call<{ register: { accessToken: string } }>(gatewayUrl, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { username: who.username, email: who.email, displayName: who.displayName, password: DEMO_USER.password, deviceName: 'Demo loader', deviceType: 'OTHER' },
    }),
    `creating ${who.username}`,
  );
  return registered.register.accessToken;
}

/**
 * The demo account, and for the products that run: its recipes, pantry and a week's meal
 * plan (kitchen); a family of three with chores and a calendar (family); spooky recipes,
 * costumes, haunted-house plans and the family's Halloween party with its shopping list
 * (hollowtown).
 */
export async function loadDemoData(
  gatewayUrl: string,
  options: { kitchen: boolean; family?: boolean; hollowtown?: boolean } = { kitchen: true, family: true, hollowtown: true },
): Promise<DemoSummary> {
  const login = await call<{ login: { accessToken: string } }>(
    gatewayUrl,
    'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
    { input: { login: DEMO_USER.username, password: DEMO_USER.password, deviceName: 'Demo loader', deviceType: 'OTHER' } },
  );
  let token = login.data?.login.accessToken;
  const created = !token;
  if (!token) {
    const registered = await must(
      call<{ register: { accessToken: string } }>(gatewayUrl, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
        input: { ...DEMO_USER, deviceName: 'Demo loader', deviceType: 'OTHER' },
      }),
      'creating the demo account',
    );
    token = registered.register.accessToken;
  }
  const summary: DemoSummary = { created, recipes: 0, spookyRecipes: 0, family: [] };
  if (!options.kitchen) return summary;
  const have = await must(call<{ me: { recipes: { totalCount: number } } }>(gatewayUrl, '{ me { recipes(first: 0) { totalCount } } }', {}, token), 'counting recipes');
  // Loaded before: keep what is there (the demo is idempotent).
  if (have.me.recipes.totalCount > 0) return { ...summary, recipes: have.me.recipes.totalCount };
  const recipeIds = await loadKitchen(gatewayUrl, token);
  summary.recipes = DEMO_RECIPES.length;
  const familyId = options.family ? await loadFamily(gatewayUrl, token) : null;
  if (familyId) summary.family = [DEMO_USER.username, ...DEMO_FAMILY.map((m) => m.username)];
  if (options.hollowtown) {
    await loadHollowtown(gatewayUrl, token, recipeIds, familyId);
    summary.spookyRecipes = DEMO_SPOOKY_RECIPES.length;
  }
  return summary;
}

async function loadFamily(gatewayUrl: string, token: string): Promise<string> {
  const family = await must(call<{ createFamily: { id: string } }>(gatewayUrl, 'mutation { createFamily(input: { name: "The Pumpkin Family" }) { id } }', {}, token), 'family');
  const familyId = family.createFamily.id;
  const memberIds: string[] = [];
  for (const member of DEMO_FAMILY) {
    const memberToken = await signIn(gatewayUrl, member);
    const invite = await must(
      call<{ inviteFamilyMember: { token: string } }>(gatewayUrl, 'mutation($f: ID!, $l: String!, $r: FamilyRole!) { inviteFamilyMember(familyId: $f, login: $l, role: $r) { token } }', {
        f: familyId,
        l: member.username,
        r: member.role,
      }, token),
      `inviting ${member.username}`,
    );
    await must(call(gatewayUrl, 'mutation($t: String!) { acceptFamilyInvitation(token: $t) { id } }', { t: invite.inviteFamilyMember.token }, memberToken), `joining ${member.username}`);
    const me = await must(call<{ me: { id: string } }>(gatewayUrl, '{ me { id } }', {}, memberToken), 'member id');
    memberIds.push(me.me.id);
  }
  const chores = await must(
    call<{ createTodoList: { id: string } }>(gatewayUrl, 'mutation($f: ID!) { createTodoList(familyId: $f, input: { name: "Halloween chores", type: CHORES }) { id } }', { f: familyId }, token),
    'todo list',
  );
  const items: Array<[string, string, number]> = [
    ['Carve the pumpkins', 'HIGH', 1],
    ['Hang the cobwebs on the porch', 'MEDIUM', 0],
    ['Buy candy for trick-or-treaters', 'URGENT', 1],
    ['Test the fog machine', 'LOW', 0],
  ];
  for (const [title, priority, who] of items) {
    await must(
      call(gatewayUrl, 'mutation($l: ID!, $t: String!, $p: TodoPriority, $u: ID) { createTodoItem(listId: $l, input: { title: $t, priority: $p, assignedToId: $u }) { id } }', {
        l: chores.createTodoList.id,
        t: title,
        p: priority,
        u: memberIds[who],
      }, token),
      `chore ${title}`,
    );
  }
  const start = new Date(Date.now() + 3 * 86_400_000);
  start.setUTCHours(16, 0, 0, 0);
  await must(
    call(gatewayUrl, 'mutation($f: ID!, $input: CreateFamilyEventInput!) { createFamilyEvent(familyId: $f, input: $input) { id } }', {
      f: familyId,
      input: { name: 'Costume fitting', type: 'OTHER', startTime: start.toISOString(), endTime: new Date(start.getTime() + 3_600_000).toISOString(), attendeeIds: memberIds, reminders: [60] },
    }, token),
    'calendar entry',
  );
  return familyId;
}

async function loadHollowtown(gatewayUrl: string, token: string, recipeIds: Map<string, string>, familyId: string | null): Promise<void> {
  const spooky = new Map<string, string>();
  for (const recipe of DEMO_SPOOKY_RECIPES) {
    const { key, ...input } = recipe;
    const created = await must(
      call<{ createSpookyRecipe: { id: string } }>(gatewayUrl, 'mutation($input: CreateSpookyRecipeInput!) { createSpookyRecipe(input: $input) { id } }', { input }, token),
      `spooky recipe ${key}`,
    );
    spooky.set(key, created.createSpookyRecipe.id);
  }
  for (const input of DEMO_COSTUMES) {
    await must(call(gatewayUrl, 'mutation($input: CreateCostumeInput!) { createCostume(input: $input) { id } }', { input }, token), `costume ${input.name}`);
  }
  for (const input of DEMO_HAUNTED_HOUSE_PLANS) {
    await must(call(gatewayUrl, 'mutation($input: CreateHauntedHousePlanInput!) { createHauntedHousePlan(input: $input) { id } }', { input }, token), `plan ${input.roomName}`);
  }
  const party = DEMO_HALLOWEEN_EVENT;
  const date = new Date(Date.now() + party.daysFromNow * 86_400_000);
  date.setUTCHours(party.startHourUtc, 0, 0, 0);
  const event = await must(
    call<{ createEvent: { id: string } }>(gatewayUrl, 'mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }', {
      input: { name: party.name, type: party.type, date: date.toISOString(), location: party.location, guestCount: party.guestCount, budgetCents: party.budgetCents, familyId },
    }, token),
    'Halloween party',
  );
  for (const expense of party.expenses) {
    await must(
      call(gatewayUrl, 'mutation($e: ID!, $input: EventExpenseInput!) { addEventExpense(eventId: $e, input: $input) { id } }', {
        e: event.createEvent.id,
        input: { description: expense.description, amountCents: expense.amountCents, spentAt: new Date(date.getTime() - expense.daysBeforeEvent * 86_400_000).toISOString() },
      }, token),
      `expense ${expense.description}`,
    );
  }
  for (const item of party.recipes) {
    const id = item.source === 'HOLLOWTOWN' ? spooky.get(item.recipeKey) : recipeIds.get(item.recipeKey);
    if (!id) throw new Error(`Demo data: the party names an unknown recipe ${item.recipeKey}`);
    await must(
      call(gatewayUrl, `mutation($e: ID!, $id: ID!, $s: Int!) { addRecipeToEvent(eventId: $e, ${item.source === 'HOLLOWTOWN' ? 'spookyRecipeId' : 'recipeId'}: $id, servings: $s) { id } }`, {
        e: event.createEvent.id,
        id,
        s: item.servings,
      }, token),
      `party recipe ${item.recipeKey}`,
    );
  }
  // A favourite shared into My Recipes.
  const first = spooky.values().next().value;
  if (first) await must(call(gatewayUrl, 'mutation($id: ID!) { shareSpookyRecipeToMyRecipes(id: $id) { id } }', { id: first }, token), 'sharing a spooky recipe');
}

const allergen = (a: string) => a.toUpperCase().replace(/-/g, '_');

async function loadKitchen(gatewayUrl: string, token: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const recipe of DEMO_RECIPES) {
    const { key, allergens, ...fields } = recipe;
    const data = await must(
      call<{ createRecipe: { id: string } }>(gatewayUrl, 'mutation($input: CreateRecipeInput!) { createRecipe(input: $input) { id } }', { input: { ...fields, allergens: allergens.map(allergen) } }, token),
      `recipe ${key}`,
    );
    ids.set(key, data.createRecipe.id);
  }
  const today = new Date();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  for (const item of DEMO_PANTRY) {
    const { expiresInDays, ...fields } = item;
    const expirationDate = expiresInDays === null ? null : iso(new Date(today.getTime() + expiresInDays * 86_400_000));
    await must(call(gatewayUrl, 'mutation($input: PantryItemInput!) { addPantryItem(input: $input) { id } }', { input: { ...fields, expirationDate } }, token), `pantry ${item.name}`);
  }
  // The plan starts next Monday.
  const monday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + ((8 - today.getUTCDay()) % 7 || 7)));
  const plan = await must(
    call<{ createMealPlan: { id: string } }>(gatewayUrl, 'mutation($input: CreateMealPlanInput!) { createMealPlan(input: $input) { id } }', {
      input: { name: DEMO_MEAL_PLAN.name, startDate: iso(monday), durationDays: 7 },
    }, token),
    'meal plan',
  );
  for (const entry of DEMO_MEAL_PLAN.days) {
    const recipeId = ids.get(entry.recipeKey);
    if (!recipeId) throw new Error(`Demo data: the meal plan names an unknown recipe ${entry.recipeKey}`);
    await must(
      call(gatewayUrl, 'mutation($input: SetMealPlanEntryInput!) { setMealPlanEntry(input: $input) { id } }', {
        input: { mealPlanId: plan.createMealPlan.id, date: iso(new Date(monday.getTime() + entry.day * 86_400_000)), slot: entry.slot, recipeId, servings: entry.servings },
      }, token),
      `meal plan entry ${entry.recipeKey}`,
    );
  }
  await must(call(gatewayUrl, 'mutation($id: ID!) { generateShoppingList(mealPlanId: $id) { id } }', { id: plan.createMealPlan.id }, token), 'shopping list');
  return ids;
}
