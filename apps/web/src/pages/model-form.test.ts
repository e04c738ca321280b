// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { serverFieldErrors } from '../lib/zod-errors';
import { testModel } from '../test/render';
import { allocationText, defaultParams, defaultValues, knownField, PARAM_FIELDS, validateModelForm, valuesFromModel, type ModelFormValues } from './model-form';

const form = (patch: Partial<ModelFormValues>): ModelFormValues => ({ ...defaultValues(), name: 'Momentum A', ...patch });

describe('model form validation (the contract’s ModelCreate)', () => {
  it('accepts the defaults and fills in what was left blank', () => {
    const r = validateModelForm(form({ initial_cash: '', slippage_bps: '' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body).toMatchObject({ initial_cash: 10_000, slippage_bps: 5, agent: { kind: 'sma_crossover', params: { fast: 10, slow: 30 } } });
    expect(r.body.risk.stop_loss_pct).toBeNull();
  });

  it('puts each problem under its field', () => {
    const r = validateModelForm(
      form({
        name: '  ',
        params: { fast: '50', slow: '20' },
        initial_cash: 'lots',
        risk: { ...defaultValues().risk, max_position_pct: '150', stop_loss_pct: '' },
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: 'must not be empty',
      'agent.params.fast': 'fast must be less than slow',
      initial_cash: 'must be a number',
      'risk.max_position_pct': 'must be at most 100',
    });
  });

  it('checks each agent kind against its own parameters', () => {
    const random = validateModelForm(form({ kind: 'random', params: { ...defaultParams('random'), probability: '2' } }));
    expect(!random.ok && random.errors['agent.params.probability']).toBe('must be at most 1');

    const llm = validateModelForm(form({ kind: 'llm', params: { ...defaultParams('llm'), base_url: 'ftp://x', model: '' } }));
    expect(llm.ok).toBe(false);
    if (llm.ok) return;
    expect(llm.errors['agent.params.base_url']).toBe('must be an http(s) URL');
    expect(llm.errors['agent.params.model']).toBe('is required');

    const good = validateModelForm(form({ kind: 'llm', params: { ...defaultParams('llm'), base_url: 'http://localhost:11434/v1', model: 'llama3' } }));
    expect(good.ok && good.body.agent).toEqual({
      kind: 'llm',
      params: { base_url: 'http://localhost:11434/v1', model: 'llama3', temperature: 0.2, max_tool_calls_per_step: 10, instructions: '' },
    });
  });

  it('sends an API key only when one was typed (blank keeps the stored one)', () => {
    const m = { ...testModel(1, 'GPT'), agent: { kind: 'llm' as const, params: { base_url: 'https://api.openai.com/v1', model: 'gpt-4o-mini', temperature: 0.5 }, api_key_set: true } };
    const values = valuesFromModel(m);
    expect(values.params.api_key).toBe('');
    expect(values.params.temperature).toBe('0.5');
    const kept = validateModelForm(values);
    expect(kept.ok && 'api_key' in kept.body.agent.params).toBe(false);
    const replaced = validateModelForm({ ...values, params: { ...values.params, api_key: 'sk-new' } });
    expect(replaced.ok && replaced.body.agent.params).toMatchObject({ api_key: 'sk-new' });
  });

  it('maps the server’s field errors onto the form', () => {
    const v = form({});
    const details = new ApiError(400, 'validation_error', 'body.agent.params.fast: too small', [
      { path: 'body.agent.params.fast', message: 'must be at least 2' },
      { path: 'body.allowed_symbols.0', message: 'must be a ticker symbol' },
    ]);
    expect(serverFieldErrors(details, knownField(v))).toEqual({ 'agent.params.fast': 'must be at least 2', allowed_symbols: 'must be a ticker symbol' });
    const conflict = new ApiError(409, 'conflict', 'name: you already have a model with this name');
    expect(serverFieldErrors(conflict, knownField(v))).toEqual({ name: 'you already have a model with this name' });
    expect(serverFieldErrors(new ApiError(500, 'internal_error', 'Internal server error'), knownField(v))).toEqual({});
  });
});

describe('position size and the effective allocation', () => {
  const form = (kind: ModelFormValues['kind'], edit: (v: ModelFormValues) => void = () => undefined) => {
    const v = { ...defaultValues(), kind, params: defaultParams(kind) };
    edit(v);
    return v;
  };

  it('edits position_pct for sma, rsi and random (default 25) and sends it as a number', () => {
    for (const kind of ['sma_crossover', 'rsi_mean_reversion', 'random'] as const) {
      expect(PARAM_FIELDS[kind].map((f) => f.key)).toContain('position_pct');
      expect(defaultParams(kind).position_pct).toBe('25');
      const result = validateModelForm({ ...form(kind, (v) => (v.params.position_pct = '40')), name: 'Sized' });
      expect(result.ok && result.body.agent.params).toMatchObject({ position_pct: 40 });
    }
    const bad = validateModelForm({ ...form('sma_crossover', (v) => (v.params.position_pct = '150')), name: 'Too big' });
    expect(bad.ok ? {} : bad.errors).toHaveProperty(['agent.params.position_pct']);
    expect(PARAM_FIELDS.buy_and_hold).toEqual([]);
  });

  it('says what each new position takes, and when the max position caps it', () => {
    expect(allocationText(form('sma_crossover'), 40)).toBe('Each new position takes 25% of equity, at most 100% per position');
    expect(allocationText(form('rsi_mean_reversion', (v) => (v.risk.max_position_pct = '10')), 40)).toBe(
      'Each new position takes 10% of equity: its 25% is capped by the max position',
    );
    expect(allocationText(form('random', (v) => (v.risk.min_cash_pct = '5')), 40)).toBe(
      'Each new position takes 25% of equity, at most 100% per position; 5% of equity always stays in cash',
    );
  });

  it('splits buy-and-hold across its symbols (all of the data set when none is chosen), within the cap', () => {
    expect(allocationText(form('buy_and_hold', (v) => (v.allowed_symbols = ['AAPL', 'MSFT', 'NVDA'])), 100)).toBe('Buy-and-hold on 3 symbols: 33.3% each');
    expect(allocationText(form('buy_and_hold', (v) => (v.allowed_symbols = ['AAPL'])), 100)).toBe('Buy-and-hold on 1 symbol: 100% of equity');
    expect(allocationText(form('buy_and_hold'), 20)).toBe('Buy-and-hold on 20 symbols: 5% each');
    expect(allocationText(form('buy_and_hold'), null)).toBe('Buy-and-hold: an equal share of cash in each symbol, at most 100% each');
    expect(
      allocationText(
        form('buy_and_hold', (v) => {
          v.allowed_symbols = ['AAPL'];
          v.risk.max_position_pct = '25';
        }),
        100,
      ),
    ).toBe('Buy-and-hold on 1 symbol: 25% of equity (capped by the max position; 75% stays in cash)');
  });

  it('leaves sizing to the LLM and rule agents, naming the cap; says nothing while a field is not a number', () => {
    expect(allocationText(form('llm', (v) => (v.risk.max_position_pct = '30')), 10)).toBe('The model sizes its own orders; no position may exceed 30% of equity');
    expect(allocationText(form('rules'), 10)).toBe('The rule document sizes each buy; no position may exceed 100% of equity');
    expect(allocationText(form('sma_crossover', (v) => (v.params.position_pct = 'abc')), 10)).toBeNull();
    expect(allocationText(form('sma_crossover', (v) => (v.risk.max_position_pct = 'x')), 10)).toBeNull();
  });
});
