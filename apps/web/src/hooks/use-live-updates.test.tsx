import { screen, waitFor } from '@testing-library/react';
import { Toaster } from 'sonner';
import { describe, expect, it } from 'vitest';
import { FakeEventSource, makeEvent } from '../test/fake-event-source';
import { renderWithProviders, testModel, testStreamClient } from '../test/render';
import { useWatch } from '../stream/hooks';
import { useModelNames } from './use-model-names';
import { useLiveUpdates } from './use-live-updates';

function LiveToasts() {
  useWatch('all');
  useLiveUpdates(useModelNames());
  return <Toaster visibleToasts={3} />;
}

const toasts = () => document.querySelectorAll('[data-sonner-toast]');

describe('live toasts', () => {
  it('shows a burst of 12 fills from one model as one toast counting them', async () => {
    const client = testStreamClient();
    renderWithProviders(<LiveToasts />, { client, models: [testModel(1, 'Momentum A')] });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const es = FakeEventSource.latest();
    es.open();
    es.emit(...Array.from({ length: 12 }, () => makeEvent.trade(1, { symbol: 'ACME' })));

    await screen.findByText('Momentum A: 12 fills in the last 3 s');
    expect(toasts()).toHaveLength(1);
    expect(screen.getByText('Momentum A: BUY 10 ACME @ $101.50')).toBeTruthy();
  });

  it('shows an error with its message', async () => {
    const client = testStreamClient();
    renderWithProviders(<LiveToasts />, { client, models: [testModel(4, 'GPT trader')] });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    FakeEventSource.latest().open();
    FakeEventSource.latest().emit(makeEvent.error(4, 'LLM endpoint unreachable'));
    await screen.findByText('GPT trader: Error');
    expect(screen.getByText('LLM endpoint unreachable')).toBeTruthy();
  });
});
