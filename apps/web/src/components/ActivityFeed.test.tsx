import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeEventSource, makeEvent } from '../test/fake-event-source';
import { renderWithProviders, testModel, testStreamClient } from '../test/render';
import { formatTime } from '../lib/format';
import { ContextPanel } from './ContextPanel';
import { FEED_LIMIT } from './ActivityFeed';

const items = () => screen.queryAllByTestId('activity-item');

async function connectedDashboard() {
  const client = testStreamClient();
  renderWithProviders(<ContextPanel context={{ kind: 'dashboard' }} />, {
    client,
    models: [testModel(1, 'Momentum A'), testModel(2, 'Mean Rev')],
  });
  await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
  const es = FakeEventSource.latest();
  es.open();
  es.emit(makeEvent.connected());
  return es;
}

describe('the dashboard activity feed', () => {
  it('lists every model’s events newest first by id, with model name, type icon and local time', async () => {
    const es = await connectedDashboard();
    expect(screen.getByTestId('activity-empty')).toBeTruthy();
    const buy = makeEvent.trade(1, { id: '101', action: 'buy' });
    const err = makeEvent.error(2, 'LLM endpoint unreachable');
    const sell = makeEvent.trade(2, { id: '103', action: 'sell' });
    // Arrives out of order, with timestamps that disagree with the ids.
    es.emit({ ...sell, timestamp: '2026-01-05T10:00:00.000Z' }, { ...err, id: '102' }, { ...buy, timestamp: '2026-01-05T23:00:00.000Z' });
    await waitFor(() => expect(items()).toHaveLength(3));

    expect(items().map((li) => li.dataset.eventId)).toEqual(['103', '102', '101']);
    const [first, second, third] = items();
    expect(within(first!).getByTestId('activity-model').textContent).toBe('Mean Rev');
    expect(within(first!).getByLabelText('Sell')).toBeTruthy();
    expect(within(first!).getByText(formatTime('2026-01-05T10:00:00.000Z'))).toBeTruthy();
    expect(within(second!).getByLabelText('Error')).toBeTruthy();
    expect(within(second!).getByText('LLM endpoint unreachable')).toBeTruthy();
    expect(within(third!).getByTestId('activity-model').textContent).toBe('Momentum A');
    expect(within(third!).getByLabelText('Buy').getAttribute('class')).toContain('text-profit');
  });

  it('folds a day of holds over many symbols into one line that opens to the reasons; fills only keeps buys and sells', async () => {
    const es = await connectedDashboard();
    const reasons = Array.from({ length: 30 }, (_, i) => `SYM${i}: no crossover → hold`).join('\n');
    es.emit(
      makeEvent.decision(1, { held: ['SYM1', 'SYM2'], reasoning: reasons }),
      makeEvent.trade(1, { action: 'buy' }),
      makeEvent.trade(2, { action: 'sell', status: 'rejected' }),
      makeEvent.error(2, 'boom'),
    );
    await waitFor(() => expect(items()).toHaveLength(4));
    const hold = items().find((li) => li.dataset.eventType === 'decision')!;
    expect(within(hold).getByTestId('activity-decision').querySelector('summary')!.textContent).toMatch(/holds 2 positions · 30 symbols weighed, no order$/);
    expect(within(hold).getByText(/SYM29: no crossover/)).toBeTruthy();

    screen.getByTestId('feed-filter-fills').click();
    await waitFor(() => expect(items().map((li) => li.dataset.eventType)).toEqual(['trade']));
    expect(within(items()[0]!).getByLabelText('Buy')).toBeTruthy();
    screen.getByTestId('feed-filter-fills').click();
    await waitFor(() => expect(items()).toHaveLength(4));
  });

  it('skips per-step bookkeeping and duplicates, and shows at most the latest 50', async () => {
    const es = await connectedDashboard();
    const first = makeEvent.status(1, 'Initializing AI agent...');
    es.emit(first, first, makeEvent.progress(1, 1));
    await waitFor(() => expect(items()).toHaveLength(1));

    const trades = Array.from({ length: 60 }, (_, i) => makeEvent.trade(1 + (i % 2), { action: i % 2 ? 'sell' : 'buy' }));
    es.emit(...trades);
    await waitFor(() => expect(items()[0]!.dataset.eventId).toBe(trades.at(-1)!.id));
    expect(items()).toHaveLength(FEED_LIMIT);
    expect(items().at(-1)!.dataset.eventId).toBe(trades[10]!.id);
  });
});
