// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fake-event-source';
import { createToastSummariser, type ToastRequest } from './toast-summary';

function setup() {
  let now = 0;
  const visible = new Map<string, ToastRequest>();
  const shown: ToastRequest[] = [];
  const summariser = createToastSummariser(
    {
      show: (t) => {
        shown.push(t);
        visible.set(t.id, t);
      },
      dismiss: (id) => visible.delete(id),
    },
    { now: () => now, modelName: (id) => `Model ${id}` },
  );
  return { summariser, visible, shown, advance: (ms: number) => void (now += ms) };
}

describe('toast summariser', () => {
  it('toasts a trade, a completion and an error with their own kind and duration', () => {
    const { summariser, shown } = setup();
    summariser.handle([makeEvent.trade(1, { action: 'buy', symbol: 'ACME' }), makeEvent.complete(2), makeEvent.error(3, 'boom')]);
    expect(shown.map((t) => [t.kind, t.title])).toEqual([
      ['info', 'Model 1: BUY 10 ACME @ $101.50'],
      ['success', 'Model 2: Trading completed'],
      ['error', 'Model 3: Error'],
    ]);
    expect(shown[2]!.description).toBe('boom');
    expect(shown[2]!.duration).toBeGreaterThan(shown[0]!.duration);
  });

  it('keeps holds, progress and status in the feed only', () => {
    const { summariser, shown } = setup();
    summariser.handle([makeEvent.trade(1, { action: 'hold' }), makeEvent.progress(1, 2), makeEvent.status(1)]);
    expect(shown).toEqual([]);
  });

  it('never stacks more than 3 for a burst: the last slot summarises, updated in place', () => {
    const { summariser, visible, advance } = setup();
    summariser.handle(Array.from({ length: 12 }, () => makeEvent.trade(1)));
    expect(visible.size).toBe(3);
    const summary = [...visible.values()].at(-1)!;
    expect(summary.title).toBe('12 trades in the last 2 s');

    advance(500);
    summariser.handle([makeEvent.trade(2), makeEvent.error(2)]);
    expect(visible.size).toBe(3);
    expect(visible.get(summary.id)!.title).toBe('13 trades, 1 error in the last 2 s');
    expect(visible.get(summary.id)!.kind).toBe('error');
  });

  it('turns the third toast into the summary when a burst arrives one event at a time', () => {
    const { summariser, visible, advance } = setup();
    for (let i = 0; i < 5; i++) {
      summariser.handle([makeEvent.trade(1)]);
      advance(100);
    }
    expect(visible.size).toBe(3);
    expect([...visible.values()].map((t) => t.title).at(-1)).toBe('5 trades in the last 2 s');
  });

  it('starts afresh after a quiet spell', () => {
    const { summariser, shown, advance } = setup();
    summariser.handle(Array.from({ length: 5 }, () => makeEvent.trade(1)));
    advance(2_500);
    summariser.handle([makeEvent.trade(1, { symbol: 'NEXT' })]);
    expect(shown.at(-1)!.title).toBe('Model 1: BUY 10 NEXT @ $101.50');
  });
});
