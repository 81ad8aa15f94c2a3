// A bundled snapshot of list prices, USD per million tokens, used to price calls whose log carries no cost.
// Cost already in the log always wins. Users override or add models with the setting aiAuditLens.prices.

export interface ModelPrice {
  /** USD per 1M input tokens (not served from cache). */
  input: number;
  /** USD per 1M output tokens (reasoning tokens included). */
  output: number;
  /** USD per 1M input tokens read from the prompt cache. Defaults to the input price when unknown. */
  cacheRead?: number;
  /** USD per 1M input tokens written to the prompt cache. Defaults to the input price when unknown. */
  cacheWrite?: number;
}

export interface PriceTable {
  /** When the prices were taken from the providers' public price lists (ISO date). */
  date: string;
  source: string;
  models: Record<string, ModelPrice>;
}

export const BUNDLED_PRICES: PriceTable = {
  date: '2026-11-01',
  source: "providers' public list prices (OpenAI, Anthropic, Google, Amazon Bedrock, Mistral), standard tier, no batch discount",
  models: {
    'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
    'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
    'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
    'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
    'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
    'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
    'o3': { input: 2, output: 8, cacheRead: 0.5 },
    'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
    'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
    'text-embedding-3-small': { input: 0.02, output: 0 },
    'text-embedding-3-large': { input: 0.13, output: 0 },
    'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
    'claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
    'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    'claude-3-7-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    'claude-3-5-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
    'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
    'claude-3-haiku': { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 },
    'gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.31 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.075 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4, cacheRead: 0.025 },
    'amazon.nova-pro': { input: 0.8, output: 3.2, cacheRead: 0.2 },
    'amazon.nova-lite': { input: 0.06, output: 0.24, cacheRead: 0.015 },
    'amazon.nova-micro': { input: 0.035, output: 0.14, cacheRead: 0.00875 },
    'mistral-large': { input: 2, output: 6 },
    'mistral-small': { input: 0.1, output: 0.3 },
    'llama-3.1-70b-instruct': { input: 0.72, output: 0.72 },
  },
};
