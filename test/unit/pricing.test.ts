import * as assert from 'node:assert/strict';
import { BUNDLED_PRICES } from '../../src/core/pricing/priceTable';
import { findPriceKey, priceCall, withOverrides } from '../../src/core/pricing/pricing';

const call = (model: string | null, inputTokens: number | null, outputTokens: number | null, cachedTokens: number | null = null, loggedCostUsd: number | null = null) => ({
  model, inputTokens, outputTokens, cachedTokens, loggedCostUsd,
});

describe('pricing', () => {
  it('finds models as logs spell them', () => {
    const t = BUNDLED_PRICES;
    assert.equal(findPriceKey('gpt-4o-mini-2024-07-18', t), 'gpt-4o-mini');
    assert.equal(findPriceKey('gpt-4o-2024-08-06', t), 'gpt-4o');
    assert.equal(findPriceKey('claude-sonnet-4-20250514', t), 'claude-sonnet-4');
    assert.equal(findPriceKey('anthropic.claude-3-5-haiku-20241022-v1:0', t), 'claude-3-5-haiku');
    assert.equal(findPriceKey('us.anthropic.claude-sonnet-4-20250514-v1:0', t), 'claude-sonnet-4');
    assert.equal(findPriceKey('openai/gpt-4.1-mini', t), 'gpt-4.1-mini');
    assert.equal(findPriceKey('GPT-4o', t), 'gpt-4o');
    assert.equal(findPriceKey('my-finetune-7b', t), null);
  });

  it('prices a call by hand-computed figures, cache tiers included', () => {
    // claude-sonnet-4: input $3, output $15, cache read $0.30, cache write $3.75 per 1M tokens.
    // 10,000 input of which 4,000 cache reads and 2,000 cache writes, 1,000 output:
    // 4,000 × 3 + 4,000 × 0.30 + 2,000 × 3.75 + 1,000 × 15 = 12,000 + 1,200 + 7,500 + 15,000 = 35,700 → $0.0357
    const p = priceCall({ ...call('claude-sonnet-4-20250514', 10_000, 1_000, 4_000), cacheWriteTokens: 2_000 }, BUNDLED_PRICES);
    assert.equal(p.source, 'priced');
    assert.equal(p.priceKey, 'claude-sonnet-4');
    assert.ok(Math.abs(p.costUsd! - 0.0357) < 1e-12, String(p.costUsd));
    // gpt-4o-mini: 1,200 input of which 1,000 cached, 300 output: 200 × 0.15 + 1,000 × 0.075 + 300 × 0.6 = 30 + 75 + 180 = 285 → $0.000285
    const q = priceCall(call('gpt-4o-mini-2024-07-18', 1_200, 300, 1_000), BUNDLED_PRICES);
    assert.ok(Math.abs(q.costUsd! - 0.000285) < 1e-15, String(q.costUsd));
  });

  it('keeps a logged cost, and never prices an unknown model as zero', () => {
    assert.deepEqual(priceCall(call('gpt-4o', 1000, 1000, null, 0.5), BUNDLED_PRICES), { costUsd: 0.5, source: 'logged', priceKey: null });
    assert.deepEqual(priceCall(call('my-finetune-7b', 1000, 1000), BUNDLED_PRICES), { costUsd: null, source: 'unpriced', priceKey: null });
    assert.equal(priceCall(call('gpt-4o', null, null), BUNDLED_PRICES).source, 'unpriced');
  });

  it('lets settings override or add models', () => {
    const t = withOverrides({ 'my-finetune-7b': { input: 1, output: 2 }, 'gpt-4o': { input: 5, output: 20 } });
    assert.equal(priceCall(call('my-finetune-7b', 1_000_000, 1_000_000), t).costUsd, 3);
    assert.equal(priceCall(call('gpt-4o', 1_000_000, 0), t).costUsd, 5);
    assert.match(t.source, /overridden for my-finetune-7b, gpt-4o/);
    assert.equal(BUNDLED_PRICES.models['gpt-4o'].input, 2.5, 'the bundled table is not changed');
  });
});
