import { describe, expect, it } from 'vitest';
import { budgetSummary, spentCents } from '../src/budget.js';

describe('event budget', () => {
  it('sums expenses in integer cents', () => {
    expect(spentCents([])).toBe(0);
    expect(spentCents([{ amountCents: 1_999 }, { amountCents: 1 }, { amountCents: 0 }])).toBe(2_000);
  });

  it('reports what is left, negative when over budget', () => {
    expect(budgetSummary(10_000, [{ amountCents: 2_500 }, { amountCents: 1_234 }])).toEqual({ budgetCents: 10_000, spentCents: 3_734, remainingCents: 6_266 });
    expect(budgetSummary(0, [{ amountCents: 500 }])).toEqual({ budgetCents: 0, spentCents: 500, remainingCents: -500 });
  });
});
