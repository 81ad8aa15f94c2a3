// Prices one call at its own model. Cost in the log wins; a model without a price is "unpriced", never zero.
import { BUNDLED_PRICES, type ModelPrice, type PriceTable } from './priceTable';

export type CostSource = 'logged' | 'priced' | 'unpriced';

export interface PricedCost {
  costUsd: number | null;
  source: CostSource;
  /** The price-table entry used, when priced. */
  priceKey: string | null;
}

export interface UsageForPricing {
  model: string | null;
  loggedCostUsd: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  cacheWriteTokens?: number | null;
}

/** The bundled table with user overrides (setting aiAuditLens.prices) laid over it. */
export function withOverrides(overrides: Record<string, ModelPrice> | undefined, base: PriceTable = BUNDLED_PRICES): PriceTable {
  if (!overrides || Object.keys(overrides).length === 0) return base;
  const models = { ...base.models };
  for (const [k, v] of Object.entries(overrides)) models[k.toLowerCase()] = v;
  return { ...base, source: `${base.source}; overridden for ${Object.keys(overrides).join(', ')} by the user's settings`, models };
}

/**
 * Finds the price-table entry for a model name as logs spell it: exact, then without a provider prefix
 * ("openai/gpt-4o", "anthropic.claude-…", "us.anthropic.…"), a date or version suffix ("-2024-08-06",
 * "-20250514", "-v1:0", "@001"), or "-latest".
 */
export function findPriceKey(model: string, table: PriceTable): string | null {
  const models = table.models;
  let name = model.trim().toLowerCase();
  if (models[name]) return name;
  name = name.replace(/^(?:[a-z]{2}\.)?(?:openai|anthropic|google|meta|mistral|amazon|bedrock|azure|vertex_ai|gemini)[/.]/, '');
  if (models[name]) return name;
  const stripped = name
    .replace(/[:@]\d+$/, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/-latest$/, '')
    .replace(/-(?:\d{4}-\d{2}-\d{2}|\d{8})$/, '');
  if (models[stripped]) return stripped;
  // Longest known prefix that ends at a word boundary ("gpt-4o-mini-2024-07-18" → "gpt-4o-mini", not "gpt-4o").
  let best: string | null = null;
  for (const key of Object.keys(models)) {
    if ((stripped === key || stripped.startsWith(`${key}-`)) && (!best || key.length > best.length)) best = key;
  }
  return best;
}

export function priceCall(u: UsageForPricing, table: PriceTable): PricedCost {
  if (u.loggedCostUsd !== null) return { costUsd: u.loggedCostUsd, source: 'logged', priceKey: null };
  if (u.inputTokens === null && u.outputTokens === null) return { costUsd: null, source: 'unpriced', priceKey: null };
  const key = u.model ? findPriceKey(u.model, table) : null;
  if (!key) return { costUsd: null, source: 'unpriced', priceKey: null };
  const p = table.models[key];
  const cached = Math.max(0, u.cachedTokens ?? 0);
  const cacheWrite = Math.max(0, u.cacheWriteTokens ?? 0);
  // Input tokens as logged include the cached ones (OpenAI, OTel GenAI): bill the rest at the input rate.
  const fresh = Math.max(0, (u.inputTokens ?? 0) - cached - cacheWrite);
  const cost =
    (fresh * p.input + cached * (p.cacheRead ?? p.input) + cacheWrite * (p.cacheWrite ?? p.input) + (u.outputTokens ?? 0) * p.output) / 1e6;
  return { costUsd: cost, source: 'priced', priceKey: key };
}
