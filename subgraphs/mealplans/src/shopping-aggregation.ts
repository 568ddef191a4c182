/**
 * Shopping-list aggregation: pure functions, no database.
 *
 * Needs (one per ingredient of every planned meal, already scaled to the meal's servings)
 * are grouped by normalised ingredient name. Within a name, everything of one measured
 * dimension is summed in its base unit (mass in g, volume in ml), each count-like unit is
 * summed on its own (cloves apart from cans), an unknown unit is summed only with the same
 * spelling, and quantity-less needs ("salt to taste") form one line without a quantity.
 * Pantry stock of the same name and a compatible unit is subtracted; a line the pantry
 * covers is dropped. Measured totals are shown with `bestUnit` in the measurement system
 * most of the group's needs were written in (ties → metric).
 */
import {
  type CanonicalUnit,
  type MeasuredDimension,
  type UnitSystem,
  bestUnit,
  cleanIngredientName,
  convert,
  dimensionOf,
  displayDecimals,
  normalizeIngredientName,
  normalizeUnit,
  roundForUnit,
  roundTo,
  stripFloatNoise,
  systemOf,
  toBaseQuantity,
  BASE_UNIT,
} from '@calos/kitchen';

export { scaleIngredients } from '@calos/kitchen';

export type MealSlot = 'BREAKFAST' | 'LUNCH' | 'DINNER' | 'SNACK';

export interface IngredientNeed {
  name: string;
  quantity: number | null;
  unit: string | null;
  source: { recipeId: string; recipeTitle: string; date: string /* YYYY-MM-DD */; slot: MealSlot };
}

export interface PantryStock {
  name: string;
  quantity: number | null;
  unit: string | null;
}

export interface ShoppingSource {
  recipeId: string;
  recipeTitle: string;
  date: string;
  slot: string;
}

export interface ShoppingLine {
  /** The most common spelling among the merged needs, lower-cased ("tomatoes"). */
  name: string;
  /** In `unit`, rounded for display; null for quantity-less needs ("salt to taste"). */
  quantity: number | null;
  /** A canonical unit ("g", "tbsp", "piece", …), an unknown unit as written, or null with a null quantity. */
  unit: string | null;
  /** Which recipes on which days need this line, by date then slot. */
  sources: ShoppingSource[];
  /** How much the pantry covered, in the line's unit; null when nothing was subtracted. */
  pantryDeducted: { quantity: number; unit: string } | null;
}

/** Slot order within one day. */
const SLOT_ORDER: readonly string[] = ['BREAKFAST', 'LUNCH', 'DINNER', 'SNACK'];

/**
 * What a need is summed with, inside one ingredient name. `rank` orders the lines of one
 * name: mass, volume, count-like units, unknown units, then the quantity-less line.
 */
type Bucket =
  | { kind: 'measured'; id: string; rank: 0 | 1; dimension: MeasuredDimension }
  | { kind: 'counted'; id: string; rank: 2 | 3; unit: string }
  | { kind: 'unquantified'; id: string; rank: 4 };

interface Classified {
  bucket: Bucket;
  /** In the bucket's base unit (g or ml for measured buckets); null when unquantified. */
  amount: number | null;
  system: UnitSystem | null;
}

/**
 * Finds the bucket of one quantity and unit. A missing or non-finite quantity is
 * unquantified; a negative one counts as 0 (it can only add a source, never subtract).
 */
function classify(quantity: number | null, unit: string | null): Classified {
  if (quantity === null || !Number.isFinite(quantity)) {
    return { bucket: { kind: 'unquantified', id: 'none', rank: 4 }, amount: null, system: null };
  }
  const amount = Math.max(0, quantity);
  const canonical = normalizeUnit(unit);
  if (canonical === null) {
    // Unknown unit (e.g. from an older import): summed only with the same spelling.
    const spelled = (unit ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    return { bucket: { kind: 'counted', id: `other:${spelled}`, rank: 3, unit: spelled }, amount, system: null };
  }
  const dimension = dimensionOf(canonical);
  if (dimension === 'count') {
    return { bucket: { kind: 'counted', id: `count:${canonical}`, rank: 2, unit: canonical }, amount, system: null };
  }
  return {
    bucket: { kind: 'measured', id: dimension, rank: dimension === 'mass' ? 0 : 1, dimension },
    amount: toBaseQuantity(amount, canonical),
    system: systemOf(canonical),
  };
}

interface LineAccumulator {
  bucket: Bucket;
  total: number;
  votes: Record<UnitSystem, number>;
  sources: Map<string, ShoppingSource>;
}

interface NameGroup {
  spellings: Map<string, number>;
  lines: Map<string, LineAccumulator>;
}

interface PantryGroup {
  /** Any stock at all, including stock without a quantity: covers "to taste" needs. */
  inStock: boolean;
  /** Stock per bucket id, in the bucket's base unit. */
  amounts: Map<string, number>;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareSources(a: ShoppingSource, b: ShoppingSource): number {
  const slotRank = (slot: string) => {
    const index = SLOT_ORDER.indexOf(slot);
    return index === -1 ? SLOT_ORDER.length : index;
  };
  return (
    compareText(a.date, b.date) ||
    slotRank(a.slot) - slotRank(b.slot) ||
    compareText(a.slot, b.slot) ||
    compareText(a.recipeTitle, b.recipeTitle) ||
    compareText(a.recipeId, b.recipeId)
  );
}

/** The most used spelling; ties go to the alphabetically first, so the result is stable. */
function displayName(spellings: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [spelling, count] of spellings) {
    if (count > bestCount || (count === bestCount && compareText(spelling, best) < 0)) {
      best = spelling;
      bestCount = count;
    }
  }
  return best;
}

function indexPantry(pantry: readonly PantryStock[]): Map<string, PantryGroup> {
  const index = new Map<string, PantryGroup>();
  for (const stock of pantry) {
    const key = normalizeIngredientName(stock.name);
    if (key === '') continue;
    // An explicit zero (or less) means "ran out": it covers nothing.
    if (stock.quantity !== null && !(stock.quantity > 0)) continue;
    const group = index.get(key) ?? { inStock: false, amounts: new Map<string, number>() };
    index.set(key, group);
    group.inStock = true;
    const { bucket, amount } = classify(stock.quantity, stock.unit);
    if (amount === null) continue;
    group.amounts.set(bucket.id, (group.amounts.get(bucket.id) ?? 0) + amount);
  }
  return index;
}

/** A quantity that rounds to nothing at its unit's display precision (leftovers of float arithmetic). */
function roundsToZero(quantity: number, unit: CanonicalUnit): boolean {
  return roundTo(quantity, displayDecimals(unit)) === 0;
}

/** Turns one accumulated line into its output form, after the pantry; null when the pantry covers it. */
function finishLine(name: string, line: LineAccumulator, pantry: PantryGroup | undefined): ShoppingLine | null {
  const sources = [...line.sources.values()].sort(compareSources);
  const { bucket } = line;

  if (bucket.kind === 'unquantified') {
    if (pantry?.inStock) return null;
    return { name, quantity: null, unit: null, sources, pantryDeducted: null };
  }

  const stock = pantry?.amounts.get(bucket.id) ?? 0;
  const deducted = Math.min(stock, line.total);
  const remaining = Math.max(0, stripFloatNoise(line.total - deducted));

  if (bucket.kind === 'measured') {
    const system: UnitSystem = line.votes.us > line.votes.metric ? 'us' : 'metric';
    const shown = bestUnit(remaining, bucket.dimension, system);
    const unshown = convert(remaining, BASE_UNIT[bucket.dimension], shown.unit);
    if (deducted > 0 && roundsToZero(unshown, shown.unit)) return null;
    return {
      name,
      quantity: shown.quantity,
      unit: shown.unit,
      sources,
      pantryDeducted:
        deducted > 0
          ? { quantity: roundForUnit(convert(deducted, BASE_UNIT[bucket.dimension], shown.unit), shown.unit), unit: shown.unit }
          : null,
    };
  }

  // Count-like and unknown units are shown as they were written, with count precision.
  if (deducted > 0 && roundsToZero(remaining, 'piece')) return null;
  return {
    name,
    quantity: roundForUnit(remaining, 'piece'),
    unit: bucket.unit,
    sources,
    pantryDeducted: deducted > 0 ? { quantity: roundForUnit(deducted, 'piece'), unit: bucket.unit } : null,
  };
}

/**
 * Aggregates the needs of a meal plan into shopping lines (see the module comment for the
 * rules), subtracting `pantry` (pass `[]` to keep the pantry out of it). Needs with a blank
 * name are ignored. The output is sorted by name, then mass, volume, count-like units,
 * unknown units and the quantity-less line; it depends only on the inputs, not their order.
 */
export function aggregateShoppingList(needs: readonly IngredientNeed[], pantry: readonly PantryStock[]): ShoppingLine[] {
  const groups = new Map<string, NameGroup>();
  for (const need of needs) {
    const key = normalizeIngredientName(need.name);
    if (key === '') continue;
    const group = groups.get(key) ?? { spellings: new Map<string, number>(), lines: new Map<string, LineAccumulator>() };
    groups.set(key, group);
    const spelling = cleanIngredientName(need.name);
    group.spellings.set(spelling, (group.spellings.get(spelling) ?? 0) + 1);

    const { bucket, amount, system } = classify(need.quantity, need.unit);
    const line = group.lines.get(bucket.id) ?? { bucket, total: 0, votes: { metric: 0, us: 0 }, sources: new Map<string, ShoppingSource>() };
    group.lines.set(bucket.id, line);
    if (amount !== null) line.total = stripFloatNoise(line.total + amount);
    if (system !== null) line.votes[system] += 1;
    const { recipeId, recipeTitle, date, slot } = need.source;
    line.sources.set(`${recipeId}\u0000${date}\u0000${slot}`, { recipeId, recipeTitle, date, slot });
  }

  const stockByName = indexPantry(pantry);
  const lines: Array<{ line: ShoppingLine; rank: number; bucketId: string }> = [];
  for (const [key, group] of groups) {
    const name = displayName(group.spellings);
    for (const accumulated of group.lines.values()) {
      const line = finishLine(name, accumulated, stockByName.get(key));
      if (line) lines.push({ line, rank: accumulated.bucket.rank, bucketId: accumulated.bucket.id });
    }
  }
  lines.sort((a, b) => compareText(a.line.name, b.line.name) || a.rank - b.rank || compareText(a.bucketId, b.bucketId));
  return lines.map(({ line }) => line);
}
