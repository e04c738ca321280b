import { describe, expect, it } from 'vitest';
import { completeEvent, stepEvents } from './step-events.js';

const base = { step: 3, totalSteps: 10, date: '2026-03-04', cash: 900, equity: 1010, initialCash: 1000, reasoning: 'ACME: crossed → buy 1', portfolio: null, held: ['ACME'] };

describe('stepEvents', () => {
  it('tells a day without fills as progress and one hold decision, not a trade', () => {
    const events = stepEvents({ ...base, fills: [] });
    expect(events.map((e) => e.type)).toEqual(['progress', 'decision']);
    expect(events[0]).toMatchObject({ data: { message: 'Step 3/10: 2026-03-04', return_pct: 1 } });
    expect(events[1]).toMatchObject({
      data: { action: 'hold', held: ['ACME'], date: '2026-03-04', reasoning: 'ACME: crossed → buy 1', message: 'AI decided to HOLD positions: ACME: crossed → buy 1' },
    });
  });

  it('keeps a long reasoning bounded: one feed line in the message, at most 4,000 characters kept', () => {
    const events = stepEvents({ ...base, fills: [], reasoning: 'x'.repeat(10_000) });
    const d = events[1]!.data as { message: string; reasoning: string };
    expect(d.message.length).toBeLessThanOrEqual('AI decided to HOLD positions: '.length + 280);
    expect(d.reasoning).toHaveLength(4000);
    expect(d.reasoning.endsWith('…')).toBe(true);
  });

  it('tells each fill and rejection, then the portfolio', () => {
    const fill = { action: 'buy' as const, symbol: 'ACME', quantity: 1, price: 100, amount: 100, commission: 0, cash_after: 900, status: 'filled' as const, reason: null };
    const rejected = { ...fill, symbol: 'BOLT', status: 'rejected' as const, reason: 'no price for BOLT on this day', price: 0, amount: 0 };
    const portfolio = { date: '2026-03-04', cash: 900, equity: 1010, positions: [], return_pct: 1, trade_count: 1 };
    const events = stepEvents({ ...base, fills: [fill, rejected], portfolio });
    expect(events.map((e) => e.type)).toEqual(['progress', 'trade', 'trade', 'portfolio']);
    expect(events[1]!.data.message).toBe('AI executing BUY order: 1 ACME @ 100.00');
    expect(events[2]!.data.message).toBe('BUY 1 BOLT rejected: no price for BOLT on this day');
    expect(events[3]!.data.message).toBe('Equity 1010.00 (1.00%)');
  });

  it('words each way a run can end', () => {
    expect(completeEvent(2, 'failed', 'boom', null).data.message).toBe('Run #2 failed: boom');
    expect(completeEvent(2, 'interrupted', null, null).data.message).toBe('Run #2 interrupted by a server shutdown');
  });
});
