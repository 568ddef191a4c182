/**
 * An event's money, all in integer cents: the budget the host set, what the expenses add up
 * to, and what is left (negative when over budget — the host should see by how much).
 */
export interface BudgetSummary {
  budgetCents: number;
  spentCents: number;
  remainingCents: number;
}

/** Every expense stays below this total, so sums fit a GraphQL Int (and an int4) with room to spare. */
export const MAX_EVENT_SPENDING_CENTS = 1_000_000_000;

export function spentCents(expenses: ReadonlyArray<{ amountCents: number }>): number {
  return expenses.reduce((sum, e) => sum + e.amountCents, 0);
}

export function budgetSummary(budgetCents: number, expenses: ReadonlyArray<{ amountCents: number }>): BudgetSummary {
  const spent = spentCents(expenses);
  return { budgetCents, spentCents: spent, remainingCents: budgetCents - spent };
}
