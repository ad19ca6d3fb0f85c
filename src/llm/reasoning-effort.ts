/**
 * The one table between reasoning effort levels and reasoning token budgets. Every protocol and
 * adapter converts through it: an effort sent to a target that takes a budget (Anthropic
 * `thinking.budget_tokens`, Gemini 2.5 `thinkingBudget`) becomes the level's budget; a budget sent
 * to a target that takes a level (OpenAI `reasoning_effort`, Gemini 3 `thinkingLevel`, Anthropic
 * adaptive `output_config.effort`) becomes the lowest level whose budget covers it. The table is
 * printed in docs/wire-fidelity.md; a test keeps the two equal.
 */
export const REASONING_EFFORTS = [
  { effort: "none", budgetTokens: 0 },
  { effort: "minimal", budgetTokens: 1024 },
  { effort: "low", budgetTokens: 2048 },
  { effort: "medium", budgetTokens: 8192 },
  { effort: "high", budgetTokens: 16384 },
  { effort: "xhigh", budgetTokens: 32768 },
] as const;

export type ReasoningEffort = (typeof REASONING_EFFORTS)[number]["effort"];

/** A level's budget; an effort the table does not know counts as `medium`. */
export function budgetForEffort(effort: string): number {
  const row = REASONING_EFFORTS.find((entry) => entry.effort === effort);
  return row?.budgetTokens ?? 8192;
}

/**
 * The lowest level whose budget covers `budgetTokens` (0 is `none`); a budget above the largest is
 * `xhigh`. `capAt` caps the level for targets that do not take the top ones.
 */
export function effortForBudget(budgetTokens: number, capAt?: ReasoningEffort): ReasoningEffort {
  let effort: ReasoningEffort = "xhigh";
  for (const row of REASONING_EFFORTS) {
    if (budgetTokens <= row.budgetTokens) {
      effort = row.effort;
      break;
    }
  }
  if (capAt === undefined) return effort;
  const rank = (level: string) => REASONING_EFFORTS.findIndex((entry) => entry.effort === level);
  return rank(effort) > rank(capAt) ? capAt : effort;
}

/**
 * The effort a request asks for, in the table's terms: its `effort`, else its budget's level;
 * undefined when it asks for neither.
 */
export function effortOf(reasoning: {
  effort?: string;
  budgetTokens?: number;
}): string | undefined {
  if (reasoning.effort !== undefined) return reasoning.effort;
  return reasoning.budgetTokens === undefined ? undefined : effortForBudget(reasoning.budgetTokens);
}

/** The budget a request asks for: its `budgetTokens`, else its effort's budget; undefined for neither. */
export function budgetOf(reasoning: {
  effort?: string;
  budgetTokens?: number;
}): number | undefined {
  if (reasoning.budgetTokens !== undefined) return reasoning.budgetTokens;
  return reasoning.effort === undefined ? undefined : budgetForEffort(reasoning.effort);
}
