import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeEventSource, makeEvent } from '../test/fake-event-source';
import { renderWithProviders, testModel, testStreamClient } from '../test/render';
import { useModelLive, useModelLiveStatus } from './hooks';

describe('useModelLiveStatus', () => {
  it('re-renders with a status change, not with every progress event', async () => {
    const renders = { status: 0, full: 0 };
    let seen: string | undefined;
    function Probe() {
      const live = useModelLiveStatus(1);
      renders.status++;
      seen = live?.status;
      return null;
    }
    function Full() {
      useModelLive(1);
      renders.full++;
      return null;
    }
    const client = testStreamClient();
    renderWithProviders(
      <>
        <Probe />
        <Full />
      </>,
      { client, models: [testModel(1, 'A')] },
    );
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const es = FakeEventSource.latest();
    es.open();
    es.emit(makeEvent.status(1));
    await waitFor(() => expect(seen).toBe('running'));
    const before = { ...renders };
    for (let step = 2; step < 6; step++) {
      es.emit(makeEvent.progress(1, step));
      await waitFor(() => expect(renders.full).toBeGreaterThan(before.full + step - 2));
    }
    expect(renders.status).toBe(before.status);
    es.emit(makeEvent.complete(1));
    await waitFor(() => expect(seen).toBe('idle'));
  });
});
