// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fake-event-source';
import { createToastSummariser, throttleToastUpdates, type ToastRequest } from './toast-summary';

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
    summariser.handle([makeEvent.trade(1, { action: 'hold' }), makeEvent.decision(1), makeEvent.progress(1, 2), makeEvent.status(1)]);
    expect(shown).toEqual([]);
  });

  it('tells each way a run ends in its own style: failed red, interrupted amber, stopped neutral, completed green', () => {
    const { summariser, shown } = setup();
    const end = (status: 'completed' | 'stopped' | 'interrupted' | 'failed') => {
      const e = makeEvent.complete(1);
      return { ...e, data: { ...e.data, status, message: `Run #1 ${status}` } } as typeof e;
    };
    summariser.handle([end('failed'), end('interrupted'), end('stopped'), end('completed')]);
    expect(shown.map((t) => [t.kind, t.title])).toEqual([
      ['error', 'Model 1: Trading failed'],
      ['warning', 'Model 1: Trading interrupted'],
      ['info', 'Model 1: Trading stopped'],
      ['success', 'Model 1: Trading completed'],
    ]);
  });

  it('gives a model’s fills one toast per window: the first fill, then a count updated in place', () => {
    const { summariser, visible, shown, advance } = setup();
    summariser.handle([makeEvent.trade(1)]);
    expect([...visible.values()].map((t) => t.title)).toEqual(['Model 1: BUY 10 ACME @ $101.50']);
    summariser.handle(Array.from({ length: 11 }, () => makeEvent.trade(1)));
    expect(visible.size).toBe(1);
    const [summary] = [...visible.values()];
    expect(summary!.title).toBe('Model 1: 12 fills in the last 3 s');

    advance(500);
    summariser.handle([makeEvent.trade(1, { symbol: 'NEXT' })]);
    expect(visible.size).toBe(1);
    expect(visible.get(summary!.id)!.title).toBe('Model 1: 13 fills in the last 3 s');
    expect(visible.get(summary!.id)!.description).toBe('Model 1: BUY 10 NEXT @ $101.50');
    expect(new Set(shown.map((t) => t.id)).size).toBe(1);
  });

  it('keeps models apart, and never folds a run end or an error into a summary', () => {
    const { summariser, visible } = setup();
    summariser.handle([...Array.from({ length: 5 }, () => makeEvent.trade(1)), ...Array.from({ length: 3 }, () => makeEvent.trade(2)), makeEvent.error(2, 'boom'), makeEvent.complete(1)]);
    const titles = [...visible.values()].map((t) => t.title);
    expect(titles).toEqual([
      'Model 1: 5 fills in the last 3 s',
      'Model 2: 3 fills in the last 3 s',
      'Model 2: Error',
      'Model 1: Trading completed',
    ]);
  });

  it('starts afresh after the window', () => {
    const { summariser, shown, advance } = setup();
    summariser.handle(Array.from({ length: 5 }, () => makeEvent.trade(1)));
    advance(3_000);
    summariser.handle([makeEvent.trade(1, { symbol: 'NEXT' })]);
    expect(shown.at(-1)!.title).toBe('Model 1: BUY 10 NEXT @ $101.50');
  });

  it('stays quiet for the event types the user turned off', () => {
    let now = 0;
    const shown: ToastRequest[] = [];
    const summariser = createToastSummariser(
      { show: (t) => shown.push(t), dismiss: () => undefined },
      { now: () => now, modelName: (id) => `Model ${id}`, enabled: (type) => type !== 'trade' },
    );
    summariser.handle([makeEvent.trade(1), makeEvent.complete(1)]);
    now += 10;
    expect(shown.map((t) => t.title)).toEqual(['Model 1: Trading completed']);
  });

  it('shows each toast a delivery touches once, in its final state', () => {
    const { summariser, shown } = setup();
    summariser.handle([makeEvent.trade(1), makeEvent.trade(2), makeEvent.trade(1), makeEvent.trade(1, { symbol: 'LAST' })]);
    expect(shown.map((t) => t.title)).toEqual(['Model 1: 3 fills in the last 3 s', 'Model 2: BUY 10 ACME @ $101.50']);
    expect(shown[0]!.description).toBe('Model 1: BUY 10 LAST @ $101.50');
  });

  it('gives at most three models a fills toast of their own; the fills of the rest share one', () => {
    const { summariser, visible, advance } = setup();
    summariser.handle([1, 2, 3, 4, 5, 4].map((id) => makeEvent.trade(id)));
    expect([...visible.values()].map((t) => t.title)).toEqual([
      'Model 1: BUY 10 ACME @ $101.50',
      'Model 2: BUY 10 ACME @ $101.50',
      'Model 3: BUY 10 ACME @ $101.50',
      'Other models: 3 fills on 2 models in the last 3 s',
    ]);
    // A model already in the shared toast stays there for its window.
    advance(1_000);
    summariser.handle([makeEvent.trade(4, { symbol: 'NEXT' })]);
    expect(visible.size).toBe(4);
    expect([...visible.values()].at(-1)!.title).toBe('Other models: 4 fills on 2 models in the last 3 s');
    expect([...visible.values()].at(-1)!.description).toBe('Model 4: BUY 10 NEXT @ $101.50');
    // Once the windows end, the next models to fill get their own toasts again.
    advance(3_000);
    summariser.handle([makeEvent.trade(5)]);
    expect([...visible.values()].at(-1)!.title).toBe('Model 5: BUY 10 ACME @ $101.50');
  });
});

describe('toast update throttle', () => {
  function throttled() {
    let now = 0;
    const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
    const shown: ToastRequest[] = [];
    const sink = throttleToastUpdates(
      { show: (t) => shown.push(t), dismiss: () => undefined },
      {
        intervalMs: 1_000,
        now: () => now,
        setTimeout: (fn, ms) => {
          const t = { at: now + ms, fn, cancelled: false };
          timers.push(t);
          return () => void (t.cancelled = true);
        },
      },
    );
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.splice(0).filter((x) => !x.cancelled)) {
        if (t.at <= now) t.fn();
        else timers.push(t);
      }
    };
    const toast = (id: string, title: string): ToastRequest => ({ id, kind: 'info', title, duration: 3_000 });
    return { sink, shown, advance, toast };
  }

  it('shows a new toast and its first change at once, and of faster changes the latest when the interval is up', () => {
    const { sink, shown, advance, toast } = throttled();
    sink.show(toast('a', '1 fill'));
    sink.show(toast('b', 'other'));
    sink.show(toast('a', '2 fills'));
    sink.show(toast('a', '3 fills'));
    sink.show(toast('a', '4 fills'));
    expect(shown.map((t) => t.title)).toEqual(['1 fill', 'other', '2 fills']);
    advance(999);
    expect(shown).toHaveLength(3);
    advance(1);
    expect(shown.map((t) => t.title)).toEqual(['1 fill', 'other', '2 fills', '4 fills']);
    // Quiet for an interval: the next change shows at once.
    advance(1_000);
    sink.show(toast('a', '5 fills'));
    expect(shown.at(-1)!.title).toBe('5 fills');
  });

  it('drops a held change when its toast is dismissed or the sink disposed', () => {
    const { sink, shown, advance, toast } = throttled();
    sink.show(toast('a', '1'));
    sink.show(toast('a', '2'));
    sink.show(toast('a', '3'));
    sink.dismiss('a');
    sink.show(toast('b', '1'));
    sink.show(toast('b', '2'));
    sink.show(toast('b', '3'));
    sink.dispose();
    advance(5_000);
    expect(shown.map((t) => `${t.id}${t.title}`)).toEqual(['a1', 'a2', 'b1', 'b2']);
  });
});
