/**
 * The unit registry: which units the kitchen understands, how users spell them, and how
 * they convert. Mass and volume convert within their dimension through a base unit (g and
 * ml) using exact factors (international avoirdupois pound, US customary volume). Count-like
 * units (`piece`, `clove`, `can`, …) never convert, not even to each other: two cloves and
 * two cans are not four of anything.
 */

export const MASS_UNITS = ['g', 'kg', 'oz', 'lb'] as const;
export const VOLUME_UNITS = ['ml', 'l', 'tsp', 'tbsp', 'cup', 'fl oz'] as const;
export const COUNT_UNITS = [
  'piece',
  'clove',
  'can',
  'slice',
  'pinch',
  'dash',
  'bunch',
  'sprig',
  'leaf',
  'stalk',
  'head',
  'handful',
  'package',
  'jar',
] as const;

export type MassUnit = (typeof MASS_UNITS)[number];
export type VolumeUnit = (typeof VOLUME_UNITS)[number];
export type CountUnit = (typeof COUNT_UNITS)[number];
export type CanonicalUnit = MassUnit | VolumeUnit | CountUnit;

export type Dimension = 'mass' | 'volume' | 'count';
/** The dimensions whose units convert into each other. */
export type MeasuredDimension = Exclude<Dimension, 'count'>;
export type UnitSystem = 'metric' | 'us';

/** A quantity together with the canonical unit it is expressed in. */
export interface Amount {
  quantity: number;
  unit: CanonicalUnit;
}

/** The unit everything of a measured dimension is converted to before it is summed. */
export const BASE_UNIT = { mass: 'g', volume: 'ml' } as const satisfies Record<MeasuredDimension, CanonicalUnit>;

// Exact definitions: 1 lb = 0.45359237 kg (1959 international yard and pound agreement),
// 1 oz = 1/16 lb; 1 US tsp = 1/6 US fl oz = 4.92892159375 ml (1 US gal = 231 in³).
const GRAMS_PER_OUNCE = 28.349523125;
const GRAMS_PER_POUND = 453.59237;
const ML_PER_TSP = 4.92892159375;
const ML_PER_TBSP = 3 * ML_PER_TSP; // 14.78676478125
const ML_PER_FL_OZ = 2 * ML_PER_TBSP; // 29.5735295625
const ML_PER_CUP = 16 * ML_PER_TBSP; // 236.5882365

interface UnitDefinition {
  readonly dimension: Dimension;
  /** null for count-like units, which belong to no measurement system. */
  readonly system: UnitSystem | null;
  /** How many base units (g or ml) one of this unit is; 1 for count-like units. */
  readonly toBase: number;
  /** Decimal places a quantity in this unit is rounded to for display. */
  readonly decimals: number;
}

const COUNT_DEFINITION: UnitDefinition = { dimension: 'count', system: null, toBase: 1, decimals: 2 };

const UNIT_DEFINITIONS: Readonly<Record<CanonicalUnit, UnitDefinition>> = {
  g: { dimension: 'mass', system: 'metric', toBase: 1, decimals: 1 },
  kg: { dimension: 'mass', system: 'metric', toBase: 1000, decimals: 2 },
  oz: { dimension: 'mass', system: 'us', toBase: GRAMS_PER_OUNCE, decimals: 2 },
  lb: { dimension: 'mass', system: 'us', toBase: GRAMS_PER_POUND, decimals: 2 },
  ml: { dimension: 'volume', system: 'metric', toBase: 1, decimals: 1 },
  l: { dimension: 'volume', system: 'metric', toBase: 1000, decimals: 2 },
  tsp: { dimension: 'volume', system: 'us', toBase: ML_PER_TSP, decimals: 2 },
  tbsp: { dimension: 'volume', system: 'us', toBase: ML_PER_TBSP, decimals: 2 },
  cup: { dimension: 'volume', system: 'us', toBase: ML_PER_CUP, decimals: 2 },
  'fl oz': { dimension: 'volume', system: 'us', toBase: ML_PER_FL_OZ, decimals: 2 },
  piece: COUNT_DEFINITION,
  clove: COUNT_DEFINITION,
  can: COUNT_DEFINITION,
  slice: COUNT_DEFINITION,
  pinch: COUNT_DEFINITION,
  dash: COUNT_DEFINITION,
  bunch: COUNT_DEFINITION,
  sprig: COUNT_DEFINITION,
  leaf: COUNT_DEFINITION,
  stalk: COUNT_DEFINITION,
  head: COUNT_DEFINITION,
  handful: COUNT_DEFINITION,
  package: COUNT_DEFINITION,
  jar: COUNT_DEFINITION,
};

export const CANONICAL_UNITS: readonly CanonicalUnit[] = [...MASS_UNITS, ...VOLUME_UNITS, ...COUNT_UNITS];

/**
 * Spellings that differ only by case or dots map through this table (keys are lower-case,
 * dots removed, whitespace collapsed). `t` and `T` are deliberately absent: their case is
 * the whole meaning, see CASE_SENSITIVE_ALIASES.
 */
const ALIASES: ReadonlyMap<string, CanonicalUnit> = new Map(
  Object.entries({
    g: ['g', 'gs', 'gr', 'grs', 'gm', 'gms', 'gram', 'grams', 'gramme', 'grammes'],
    kg: ['kg', 'kgs', 'kilo', 'kilos', 'kilogram', 'kilograms', 'kilogramme', 'kilogrammes'],
    oz: ['oz', 'ozs', 'ounce', 'ounces'],
    lb: ['lb', 'lbs', 'pound', 'pounds'],
    ml: ['ml', 'mls', 'millilitre', 'millilitres', 'milliliter', 'milliliters', 'cc'],
    l: ['l', 'ls', 'lt', 'ltr', 'ltrs', 'litre', 'litres', 'liter', 'liters'],
    tsp: ['tsp', 'tsps', 'tspn', 'ts', 'teaspoon', 'teaspoons', 'teaspoonful', 'teaspoonfuls'],
    tbsp: [
      'tbsp',
      'tbsps',
      'tbs',
      'tbl',
      'tbls',
      'tblsp',
      'tblspn',
      'tb',
      'tablespoon',
      'tablespoons',
      'tablespoonful',
      'tablespoonfuls',
    ],
    cup: ['c', 'cup', 'cups', 'cupful', 'cupfuls'],
    'fl oz': ['fl oz', 'fl ozs', 'floz', 'fluid oz', 'fluid ounce', 'fluid ounces', 'fl ounce', 'fl ounces'],
    piece: ['piece', 'pieces', 'pc', 'pcs', 'pce', 'pces', 'each', 'ea', 'unit', 'units', 'item', 'items'],
    clove: ['clove', 'cloves'],
    can: ['can', 'cans', 'tin', 'tins'],
    slice: ['slice', 'slices'],
    pinch: ['pinch', 'pinches'],
    dash: ['dash', 'dashes'],
    bunch: ['bunch', 'bunches'],
    sprig: ['sprig', 'sprigs'],
    leaf: ['leaf', 'leaves'],
    stalk: ['stalk', 'stalks'],
    head: ['head', 'heads'],
    handful: ['handful', 'handfuls'],
    package: ['package', 'packages', 'pkg', 'pkgs', 'pack', 'packs', 'packet', 'packets'],
    jar: ['jar', 'jars'],
  } satisfies Record<CanonicalUnit, string[]>).flatMap(([unit, spellings]) =>
    spellings.map((spelling) => [spelling, unit as CanonicalUnit] as const),
  ),
);

/** Cookbook shorthand where the letter case decides: capital T is a tablespoon, small t a teaspoon. */
const CASE_SENSITIVE_ALIASES: ReadonlyMap<string, CanonicalUnit> = new Map([
  ['T', 'tbsp'],
  ['Tb', 'tbsp'],
  ['t', 'tsp'],
]);

export class UnitConversionError extends Error {
  override readonly name = 'UnitConversionError';
}

/**
 * The canonical unit for a user-written unit, or null when it is unknown.
 * No unit at all (null, undefined, empty or blank) means a plain count: `piece`.
 * Case, surrounding whitespace, dots (`fl. oz.`, `Tbsp.`) and plurals are ignored, except
 * for the single letters `t` (teaspoon) and `T` (tablespoon).
 */
export function normalizeUnit(raw: string | null | undefined): CanonicalUnit | null {
  if (raw === null || raw === undefined) return 'piece';
  const spaced = raw.replace(/\./g, ' ').replace(/\s+/g, ' ').trim();
  if (spaced === '') return 'piece';
  const caseSensitive = CASE_SENSITIVE_ALIASES.get(spaced);
  if (caseSensitive) return caseSensitive;
  return ALIASES.get(spaced.toLowerCase()) ?? null;
}

/** Whether `raw` is a unit the kitchen understands (no unit at all counts as known: a piece). */
export function isKnownUnit(raw: string | null | undefined): boolean {
  return normalizeUnit(raw) !== null;
}

export function isCanonicalUnit(value: string): value is CanonicalUnit {
  return Object.hasOwn(UNIT_DEFINITIONS, value);
}

export function dimensionOf(unit: CanonicalUnit): Dimension {
  return UNIT_DEFINITIONS[unit].dimension;
}

/** `metric` for g/kg/ml/l, `us` for oz/lb/tsp/tbsp/cup/fl oz, null for count-like units. */
export function systemOf(unit: CanonicalUnit): UnitSystem | null {
  return UNIT_DEFINITIONS[unit].system;
}

/** Whether quantities in these two units can be converted into each other (and summed). */
export function areCompatible(a: CanonicalUnit, b: CanonicalUnit): boolean {
  if (a === b) return true;
  const dimension = dimensionOf(a);
  return dimension !== 'count' && dimension === dimensionOf(b);
}

/**
 * Removes binary floating-point noise (0.1 + 0.2 → 0.3, 5.999999999999999 → 6) by keeping
 * 14 significant digits: enough for the exact unit factors (14.78676478125 ml per tbsp has
 * 13) and far more than any kitchen measurement carries, while the noise of a few
 * arithmetic steps sits in the 16th and 17th digits.
 */
export function stripFloatNoise(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(14));
}

/** Rounds half away from zero to `decimals` places without the 1.005 → 1.00 surprise. */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  const scaled = stripFloatNoise(Math.abs(value) * factor);
  return (Math.sign(value) * Math.round(scaled)) / factor || 0;
}

/** Decimal places quantities in this unit are shown with: 1 for g and ml, 2 for everything else. */
export function displayDecimals(unit: CanonicalUnit): number {
  return UNIT_DEFINITIONS[unit].decimals;
}

/**
 * Rounds a quantity to the display precision of its unit: 1 decimal for g and ml, 2 for
 * every larger unit and for counts. A positive quantity too small for that precision keeps
 * two significant digits instead of collapsing to 0 (0.004 g stays 0.004, not 0).
 */
export function roundForUnit(value: number, unit: CanonicalUnit): number {
  const rounded = roundTo(value, UNIT_DEFINITIONS[unit].decimals);
  if (rounded === 0 && value !== 0 && Number.isFinite(value)) return Number(value.toPrecision(2));
  return rounded;
}

/** The quantity expressed in the base unit of its dimension (g, ml; count units unchanged). */
export function toBaseQuantity(quantity: number, unit: CanonicalUnit): number {
  return stripFloatNoise(quantity * UNIT_DEFINITIONS[unit].toBase);
}

/**
 * Converts `quantity` from one unit to another of the same dimension. Count-like units
 * only "convert" to themselves. Throws UnitConversionError for incompatible units.
 * The result is exact up to floating-point noise, which is removed; it is not rounded for
 * display (see roundForUnit and bestUnit).
 */
export function convert(quantity: number, from: CanonicalUnit, to: CanonicalUnit): number {
  if (!areCompatible(from, to)) {
    throw new UnitConversionError(`Cannot convert ${from} (${dimensionOf(from)}) to ${to} (${dimensionOf(to)}).`);
  }
  if (from === to) return quantity;
  return stripFloatNoise((quantity * UNIT_DEFINITIONS[from].toBase) / UNIT_DEFINITIONS[to].toBase);
}

/**
 * Display units in ascending size for each dimension and system; a larger unit takes over
 * once the amount is at least 1 of it (16 oz → 1 lb). US volume deliberately omits fl oz:
 * recipes measure with spoons and cups, so it is never chosen automatically.
 */
const DISPLAY_LADDERS: Readonly<
  Record<MeasuredDimension, Readonly<Record<UnitSystem, readonly [CanonicalUnit, ...CanonicalUnit[]]>>>
> = {
  mass: { metric: ['g', 'kg'], us: ['oz', 'lb'] },
  volume: { metric: ['ml', 'l'], us: ['tsp', 'tbsp', 'cup'] },
};

/**
 * A readable amount for a quantity given in the base unit of `dimension` (g or ml):
 * - metric mass: g below 1000 g, else kg; metric volume: ml below 1000 ml, else l;
 * - US mass: oz below 16 oz, else lb;
 * - US volume: the largest of tsp < tbsp < cup in which the amount is at least 1
 *   (6 tbsp stays 6 tbsp, 3 tsp becomes 1 tbsp, 48 tsp becomes 1 cup); fl oz is never chosen.
 * The quantity is rounded with roundForUnit. Each boundary is judged on the amount as the
 * smaller unit would show it, so 999.96 g (shown 1000.0 g) reads 1 kg but 999 g stays 999 g.
 */
export function bestUnit(quantityInBase: number, dimension: MeasuredDimension, system: UnitSystem): Amount {
  if (!Number.isFinite(quantityInBase) || quantityInBase < 0) {
    throw new RangeError(`bestUnit needs a finite, non-negative quantity (got ${quantityInBase}).`);
  }
  const [smallest, ...larger] = DISPLAY_LADDERS[dimension][system];
  const inUnit = (unit: CanonicalUnit): Amount => ({
    quantity: roundForUnit(stripFloatNoise(quantityInBase / UNIT_DEFINITIONS[unit].toBase), unit),
    unit,
  });
  let chosen = inUnit(smallest);
  for (const unit of larger) {
    // Judged at the precision of the unit shown so far: 999.96 g reads 1000.0 g, so it
    // becomes 1 kg, while 999 g (0.999 kg, which would round up to 1.00) stays 999 g.
    const oneOfLarger = stripFloatNoise(UNIT_DEFINITIONS[unit].toBase / UNIT_DEFINITIONS[chosen.unit].toBase);
    if (chosen.quantity >= oneOfLarger) chosen = inUnit(unit);
  }
  return chosen;
}
