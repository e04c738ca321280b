import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fake-event-source';
import { byEventId } from './event-order';
import { EventStore } from './event-store';

/** The newest `n` events over every model's buffer, worked out from scratch. */
function newestKept(store: EventStore, models: number[], n: number) {
  return models.flatMap((m) => store.getEvents(m)).sort(byEventId).slice(-n).map((e) => e.id);
}

describe('the newest events of all models', () => {
  it('stay the newest of what every buffer keeps as batches arrive out of order, with duplicates and drops', () => {
    const store = new EventStore(6, 5);
    const models = [1, 2, 3];
    // A deterministic shuffle: ids jump around, repeat, and some models fill their buffers.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 40; round++) {
      const batch = Array.from({ length: 1 + (next() % 6) }, () => makeEvent.trade(models[next() % 3]!, { id: String(1 + (next() % 120)) }));
      store.apply(batch);
      expect(store.getRecentEvents().map((e) => e.id)).toEqual(newestKept(store, models, 5));
    }
  });

  it('include stored history taken between batches', () => {
    const store = new EventStore(4, 4);
    store.apply([makeEvent.trade(1, { id: '10' }), makeEvent.trade(2, { id: '11' })]);
    expect(store.getRecentEvents().map((e) => e.id)).toEqual(['10', '11']);
    store.addHistory([makeEvent.trade(2, { id: '3' }), makeEvent.trade(1, { id: '12' })]);
    store.apply([makeEvent.trade(1, { id: '13' })]);
    expect(store.getRecentEvents().map((e) => e.id)).toEqual(['10', '11', '12', '13']);
  });
});
