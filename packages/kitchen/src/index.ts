export * from './unit-conversion.js';
export * from './quantity.js';
export * from './ingredient-names.js';
export * from './ingredient-line.js';
export * from './ingredient.js';
