import { describe, expect, it } from 'vitest';
import {
  BASE_UNIT,
  CANONICAL_UNITS,
  COUNT_UNITS,
  MASS_UNITS,
  UnitConversionError,
  VOLUME_UNITS,
  areCompatible,
  bestUnit,
  convert,
  dimensionOf,
  displayDecimals,
  isCanonicalUnit,
  isKnownUnit,
  normalizeUnit,
  roundForUnit,
  roundTo,
  stripFloatNoise,
  systemOf,
  toBaseQuantity,
  type CanonicalUnit,
} from '@calos/kitchen';

describe('normalizeUnit', () => {
  it.each(CANONICAL_UNITS.map((unit) => [unit]))('maps the canonical spelling %s to itself', (unit) => {
    expect(normalizeUnit(unit)).toBe(unit);
  });

  const families: Record<CanonicalUnit, string[]> = {
    g: ['g', 'G', 'gram', 'grams', 'Grams', 'gr', 'gms', 'gramme', 'g.'],
    kg: ['kg', 'Kg', 'KG', 'kgs', 'kilo', 'kilos', 'kilogram', 'kilograms', 'Kilogrammes'],
    oz: ['oz', 'Oz.', 'OZ', 'ozs', 'ounce', 'ounces', 'Ounces'],
    lb: ['lb', 'lb.', 'lbs', 'LBS', 'pound', 'pounds', 'Pounds'],
    ml: ['ml', 'mL', 'ML', 'mls', 'millilitre', 'millilitres', 'milliliter', 'milliliters', 'cc'],
    l: ['l', 'L', 'lt', 'ltr', 'litre', 'litres', 'liter', 'liters', 'Liter'],
    tsp: ['tsp', 'tsp.', 'Tsp', 'TSP', 'tsps', 'ts', 't', 'teaspoon', 'teaspoons', 'Teaspoons', 'teaspoonful'],
    tbsp: ['tbsp', 'Tbsp', 'Tbsp.', 'TBSP', 'tbsps', 'tbs', 'Tbs.', 'tbl', 'tblsp', 'tb', 'T', 'Tb', 'tablespoon', 'tablespoons', 'Tablespoons'],
    cup: ['cup', 'cups', 'Cups', 'CUP', 'c', 'C', 'c.', 'cupful'],
    'fl oz': ['fl oz', 'fl. oz', 'fl. oz.', 'fl.oz.', 'FL OZ', 'floz', 'fl  oz', 'fluid ounce', 'fluid ounces', 'Fluid Ounces', 'fluid oz'],
    piece: ['piece', 'pieces', 'Pieces', 'pc', 'pcs', 'pcs.', 'each', 'ea', 'unit', 'units', 'item'],
    clove: ['clove', 'cloves', 'Cloves'],
    can: ['can', 'cans', 'Cans', 'tin', 'tins'],
    slice: ['slice', 'slices'],
    pinch: ['pinch', 'pinches', 'Pinch'],
    dash: ['dash', 'dashes'],
    bunch: ['bunch', 'bunches'],
    sprig: ['sprig', 'sprigs'],
    leaf: ['leaf', 'leaves'],
    stalk: ['stalk', 'stalks'],
    head: ['head', 'heads'],
    handful: ['handful', 'handfuls'],
    package: ['package', 'packages', 'pkg', 'pack', 'packs', 'packet', 'packets'],
    jar: ['jar', 'jars', 'Jars'],
  };
  const aliases = Object.entries(families).flatMap(([unit, spellings]) => spellings.map((spelling) => [spelling, unit]));
  it.each(aliases)('maps %j to %s', (spelling, unit) => {
    expect(normalizeUnit(spelling)).toBe(unit);
  });

  it('ignores surrounding whitespace', () => {
    expect(normalizeUnit('  cups ')).toBe('cup');
    expect(normalizeUnit(' T ')).toBe('tbsp');
  });

  it('tells tablespoons (capital T) from teaspoons (small t)', () => {
    expect(normalizeUnit('T')).toBe('tbsp');
    expect(normalizeUnit('t')).toBe('tsp');
    expect(normalizeUnit('T.')).toBe('tbsp');
    expect(normalizeUnit('t.')).toBe('tsp');
  });

  it('reads no unit as a plain count', () => {
    expect(normalizeUnit(null)).toBe('piece');
    expect(normalizeUnit(undefined)).toBe('piece');
    expect(normalizeUnit('')).toBe('piece');
    expect(normalizeUnit('   ')).toBe('piece');
  });

  it.each(['bottle', 'glug', 'mg', 'dl', 'gallon', 'tt', 'xyz', 'constructor', 'toString', '__proto__', 'grams!'])(
    'returns null for the unknown unit %j',
    (spelling) => {
      expect(normalizeUnit(spelling)).toBeNull();
    },
  );
});

describe('isKnownUnit / isCanonicalUnit', () => {
  it('accepts aliases and no unit, rejects unknown units', () => {
    expect(isKnownUnit('Tablespoons')).toBe(true);
    expect(isKnownUnit(null)).toBe(true);
    expect(isKnownUnit('')).toBe(true);
    expect(isKnownUnit('bottle')).toBe(false);
  });

  it('recognises only canonical spellings as canonical', () => {
    expect(isCanonicalUnit('fl oz')).toBe(true);
    expect(isCanonicalUnit('cups')).toBe(false);
    expect(isCanonicalUnit('toString')).toBe(false);
  });
});

describe('dimensionOf / systemOf', () => {
  it.each(MASS_UNITS.map((u) => [u]))('%s is mass', (unit) => expect(dimensionOf(unit)).toBe('mass'));
  it.each(VOLUME_UNITS.map((u) => [u]))('%s is volume', (unit) => expect(dimensionOf(unit)).toBe('volume'));
  it.each(COUNT_UNITS.map((u) => [u]))('%s is a count with no system', (unit) => {
    expect(dimensionOf(unit)).toBe('count');
    expect(systemOf(unit)).toBeNull();
  });

  it('puts g, kg, ml, l in metric and the customary units in us', () => {
    expect((['g', 'kg', 'ml', 'l'] as const).map(systemOf)).toEqual(['metric', 'metric', 'metric', 'metric']);
    expect((['oz', 'lb', 'tsp', 'tbsp', 'cup', 'fl oz'] as const).map(systemOf)).toEqual(['us', 'us', 'us', 'us', 'us', 'us']);
  });

  it('knows which units are compatible', () => {
    expect(areCompatible('g', 'lb')).toBe(true);
    expect(areCompatible('cup', 'ml')).toBe(true);
    expect(areCompatible('g', 'ml')).toBe(false);
    expect(areCompatible('clove', 'clove')).toBe(true);
    expect(areCompatible('clove', 'piece')).toBe(false);
    expect(areCompatible('piece', 'g')).toBe(false);
  });
});

describe('convert', () => {
  // One of each unit in the base unit, from the exact definitions.
  const exact: Array<[CanonicalUnit, CanonicalUnit, number]> = [
    ['oz', 'g', 28.349523125],
    ['lb', 'g', 453.59237],
    ['kg', 'g', 1000],
    ['lb', 'kg', 0.45359237],
    ['oz', 'kg', 0.028349523125],
    ['tsp', 'ml', 4.92892159375],
    ['tbsp', 'ml', 14.78676478125],
    ['cup', 'ml', 236.5882365],
    ['fl oz', 'ml', 29.5735295625],
    ['l', 'ml', 1000],
    ['cup', 'l', 0.2365882365],
    ['tbsp', 'l', 0.01478676478125],
    ['tsp', 'l', 0.00492892159375],
    ['fl oz', 'l', 0.0295735295625],
  ];
  it.each(exact)('1 %s = %s %s exactly (metric ↔ US)', (from, to, factor) => {
    expect(convert(1, from, to)).toBe(factor);
    expect(convert(1, to, from)).toBeCloseTo(1 / factor, 9);
  });

  it.each([
    [1, 'kg', 'oz', 35.2739619496],
    [1, 'kg', 'lb', 2.20462262185],
    [100, 'g', 'oz', 3.5273961949],
    [500, 'g', 'lb', 1.10231131092],
    [1, 'l', 'cup', 4.22675283773],
    [1, 'l', 'fl oz', 33.8140227018],
    [250, 'ml', 'cup', 1.05668820943],
    [5, 'ml', 'tsp', 1.01442068105],
    [15, 'ml', 'tbsp', 1.01442068105],
  ] as const)('%s %s = %s %s', (quantity, from, to, expected) => {
    expect(convert(quantity, from, to)).toBeCloseTo(expected, 9);
  });

  it('converts within the US system exactly', () => {
    expect(convert(1, 'tbsp', 'tsp')).toBe(3);
    expect(convert(1, 'cup', 'tbsp')).toBe(16);
    expect(convert(1, 'cup', 'tsp')).toBe(48);
    expect(convert(1, 'cup', 'fl oz')).toBe(8);
    expect(convert(1, 'fl oz', 'tbsp')).toBe(2);
    expect(convert(6, 'tbsp', 'cup')).toBe(0.375);
    expect(convert(1, 'lb', 'oz')).toBe(16);
    expect(convert(8, 'oz', 'lb')).toBe(0.5);
  });

  it('converts within the metric system exactly', () => {
    expect(convert(0.5, 'kg', 'g')).toBe(500);
    expect(convert(250, 'ml', 'l')).toBe(0.25);
    expect(convert(0.1 + 0.2, 'kg', 'g')).toBe(300);
  });

  const measured: CanonicalUnit[] = [...MASS_UNITS, ...VOLUME_UNITS];
  const pairs = measured.flatMap((a) => measured.filter((b) => dimensionOf(a) === dimensionOf(b)).map((b) => [a, b] as const));
  it.each(pairs)('round-trips %s → %s → back', (from, to) => {
    expect(convert(convert(2.5, from, to), to, from)).toBeCloseTo(2.5, 9);
  });

  it('keeps a count unit as it is', () => {
    expect(convert(3, 'clove', 'clove')).toBe(3);
  });

  it.each([
    ['g', 'ml'],
    ['cup', 'kg'],
    ['clove', 'piece'],
    ['can', 'g'],
    ['piece', 'ml'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(() => convert(1, from, to)).toThrow(UnitConversionError);
  });

  it('names both units in the error', () => {
    expect(() => convert(1, 'cup', 'g')).toThrow('Cannot convert cup (volume) to g (mass).');
  });

  it('gives base quantities in g and ml', () => {
    expect(BASE_UNIT).toEqual({ mass: 'g', volume: 'ml' });
    expect(toBaseQuantity(0.5, 'kg')).toBe(500);
    expect(toBaseQuantity(2, 'tbsp')).toBe(29.5735295625);
    expect(toBaseQuantity(3, 'clove')).toBe(3);
  });
});

describe('rounding helpers', () => {
  it('strips floating-point noise', () => {
    expect(stripFloatNoise(0.1 + 0.2)).toBe(0.3);
    expect(stripFloatNoise(5.999999999999999)).toBe(6);
    expect(stripFloatNoise(0)).toBe(0);
    expect(stripFloatNoise(453.59237)).toBe(453.59237);
  });

  it('rounds half away from zero without binary surprises', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(0.125, 2)).toBe(0.13);
    expect(roundTo(-1.005, 2)).toBe(-1.01);
    expect(roundTo(1234.5, 0)).toBe(1235);
    expect(Object.is(roundTo(-0.001, 2), 0)).toBe(true);
  });

  it('rounds for display: 1 decimal for g and ml, 2 otherwise', () => {
    expect(displayDecimals('g')).toBe(1);
    expect(displayDecimals('ml')).toBe(1);
    expect(displayDecimals('kg')).toBe(2);
    expect(displayDecimals('piece')).toBe(2);
    expect(roundForUnit(12.345, 'g')).toBe(12.3);
    expect(roundForUnit(1.23456, 'kg')).toBe(1.23);
    expect(roundForUnit(0.30000000000000004, 'cup')).toBe(0.3);
    expect(roundForUnit(1.499999, 'clove')).toBe(1.5);
  });

  it('keeps a tiny positive amount visible', () => {
    expect(roundForUnit(0.004, 'g')).toBe(0.004);
    expect(roundForUnit(0.001234, 'kg')).toBe(0.0012);
    expect(roundForUnit(0, 'g')).toBe(0);
  });
});

describe('bestUnit', () => {
  const inBase = (quantity: number, unit: CanonicalUnit) => toBaseQuantity(quantity, unit);

  it('shows metric mass in g below 1000 g and kg from there', () => {
    expect(bestUnit(0, 'mass', 'metric')).toEqual({ quantity: 0, unit: 'g' });
    expect(bestUnit(700, 'mass', 'metric')).toEqual({ quantity: 700, unit: 'g' });
    expect(bestUnit(999, 'mass', 'metric')).toEqual({ quantity: 999, unit: 'g' });
    expect(bestUnit(999.94, 'mass', 'metric')).toEqual({ quantity: 999.9, unit: 'g' });
    expect(bestUnit(999.96, 'mass', 'metric')).toEqual({ quantity: 1, unit: 'kg' });
    expect(bestUnit(1000, 'mass', 'metric')).toEqual({ quantity: 1, unit: 'kg' });
    expect(bestUnit(1250, 'mass', 'metric')).toEqual({ quantity: 1.25, unit: 'kg' });
    expect(bestUnit(1234.5, 'mass', 'metric')).toEqual({ quantity: 1.23, unit: 'kg' });
  });

  it('shows metric volume in ml below 1000 ml and l from there', () => {
    expect(bestUnit(999, 'volume', 'metric')).toEqual({ quantity: 999, unit: 'ml' });
    expect(bestUnit(1000, 'volume', 'metric')).toEqual({ quantity: 1, unit: 'l' });
    expect(bestUnit(1500, 'volume', 'metric')).toEqual({ quantity: 1.5, unit: 'l' });
    expect(bestUnit(12.5, 'volume', 'metric')).toEqual({ quantity: 12.5, unit: 'ml' });
  });

  it('shows US mass in oz below 16 oz and lb from there', () => {
    expect(bestUnit(inBase(15, 'oz'), 'mass', 'us')).toEqual({ quantity: 15, unit: 'oz' });
    expect(bestUnit(inBase(15.5, 'oz'), 'mass', 'us')).toEqual({ quantity: 15.5, unit: 'oz' });
    expect(bestUnit(inBase(16, 'oz'), 'mass', 'us')).toEqual({ quantity: 1, unit: 'lb' });
    expect(bestUnit(inBase(20, 'oz'), 'mass', 'us')).toEqual({ quantity: 1.25, unit: 'lb' });
    expect(bestUnit(1000, 'mass', 'us')).toEqual({ quantity: 2.2, unit: 'lb' });
    expect(bestUnit(100, 'mass', 'us')).toEqual({ quantity: 3.53, unit: 'oz' });
  });

  it('shows US volume in the largest of tsp, tbsp, cup that is at least 1', () => {
    expect(bestUnit(inBase(6, 'tbsp'), 'volume', 'us')).toEqual({ quantity: 6, unit: 'tbsp' });
    expect(bestUnit(inBase(48, 'tsp'), 'volume', 'us')).toEqual({ quantity: 1, unit: 'cup' });
    expect(bestUnit(inBase(3, 'tsp'), 'volume', 'us')).toEqual({ quantity: 1, unit: 'tbsp' });
    expect(bestUnit(inBase(2, 'tsp'), 'volume', 'us')).toEqual({ quantity: 2, unit: 'tsp' });
    expect(bestUnit(inBase(0.5, 'tsp'), 'volume', 'us')).toEqual({ quantity: 0.5, unit: 'tsp' });
    expect(bestUnit(inBase(15, 'tbsp'), 'volume', 'us')).toEqual({ quantity: 15, unit: 'tbsp' });
    expect(bestUnit(inBase(16, 'tbsp'), 'volume', 'us')).toEqual({ quantity: 1, unit: 'cup' });
    expect(bestUnit(inBase(24, 'tbsp'), 'volume', 'us')).toEqual({ quantity: 1.5, unit: 'cup' });
    expect(bestUnit(inBase(47, 'tsp'), 'volume', 'us')).toEqual({ quantity: 15.67, unit: 'tbsp' });
    expect(bestUnit(0, 'volume', 'us')).toEqual({ quantity: 0, unit: 'tsp' });
  });

  it('never picks fl oz on its own', () => {
    expect(bestUnit(inBase(1, 'fl oz'), 'volume', 'us')).toEqual({ quantity: 2, unit: 'tbsp' });
    expect(bestUnit(inBase(8, 'fl oz'), 'volume', 'us')).toEqual({ quantity: 1, unit: 'cup' });
  });

  it('shows metric amounts from US inputs and the other way round', () => {
    expect(bestUnit(inBase(1, 'cup'), 'volume', 'metric')).toEqual({ quantity: 236.6, unit: 'ml' });
    expect(bestUnit(inBase(1, 'lb'), 'mass', 'metric')).toEqual({ quantity: 453.6, unit: 'g' });
    expect(bestUnit(250, 'volume', 'us')).toEqual({ quantity: 1.06, unit: 'cup' });
  });

  it('rejects negative and non-finite amounts', () => {
    expect(() => bestUnit(-1, 'mass', 'metric')).toThrow(RangeError);
    expect(() => bestUnit(Number.NaN, 'mass', 'metric')).toThrow(RangeError);
    expect(() => bestUnit(Number.POSITIVE_INFINITY, 'volume', 'us')).toThrow(RangeError);
  });
});
