import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES } from './rules-templates.js';
import { readStrategyFile, strategyFile } from './strategy-file.js';

const dip = RULE_TEMPLATES.find((t) => t.id === 'rsi_dip')!.document;

describe('strategy files', () => {
  it('read back what was written, and a bare rule document as an imported strategy', () => {
    const file = strategyFile('Dip buyer', 'RSI in an uptrend', dip);
    expect(readStrategyFile(JSON.stringify(file, null, 2))).toEqual({ ok: true, file });
    expect(readStrategyFile(JSON.stringify(dip))).toEqual({ ok: true, file: strategyFile('Imported strategy', '', dip) });
  });

  it('name the path of every problem, inside the rules too', () => {
    const bad = structuredClone(strategyFile('Dip', '', dip)) as any;
    bad.rules.rule_sets[0].entries[0].buy.percent = 250;
    bad.rules.rule_sets[0].stops.take_profit_pct = 'lots';
    expect(readStrategyFile(JSON.stringify(bad))).toEqual({
      ok: false,
      problems: [
        { path: 'rules.rule_sets.0.entries.0.buy.percent', message: 'must be at most 100' },
        { path: 'rules.rule_sets.0.stops.take_profit_pct', message: 'must be a number' },
      ],
    });
    expect(readStrategyFile(JSON.stringify({ ...strategyFile('Dip', '', dip), version: 2 }))).toEqual({ ok: false, problems: [{ path: 'version', message: 'must be 1' }] });
    expect(readStrategyFile(JSON.stringify({ format: 'other' })).ok).toBe(false);
    const bareBad = { version: 1, rule_sets: [] };
    expect(readStrategyFile(JSON.stringify(bareBad))).toEqual({ ok: false, problems: [{ path: 'rules.rule_sets', message: 'must hold at least one rule set' }] });
  });

  it('say so when the text is not JSON at all', () => {
    const read = readStrategyFile('{"format": ');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems[0]!.path).toBe('(file)');
    expect(!read.ok && read.problems[0]!.message).toMatch(/^is not JSON \(/);
    expect(readStrategyFile('[1, 2]')).toMatchObject({ ok: false, problems: [{ path: '(file)' }] });
  });
});
