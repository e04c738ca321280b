import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeEventSource } from '../test/fake-event-source';
import { renderWithProviders, testStreamClient } from '../test/render';
import type { StreamEnvironment } from '../stream/client';
import { useWatch } from '../stream/hooks';
import { ConnectionIndicator } from './ConnectionIndicator';

function Watched() {
  useWatch('all');
  return <ConnectionIndicator />;
}

const indicator = () => screen.getByTestId('connection-status');

describe('ConnectionIndicator', () => {
  it('shows Live, then Reconnecting (attempt n) with a Reconnect button that reconnects at once', async () => {
    const client = testStreamClient();
    renderWithProviders(<Watched />, { client });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    expect(indicator()).toHaveProperty('textContent', 'Connecting…');
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();

    FakeEventSource.latest().open();
    await waitFor(() => expect(indicator().dataset.status).toBe('live'));
    expect(indicator().textContent).toBe('Live');

    FakeEventSource.latest().fail();
    await waitFor(() => expect(indicator().textContent).toBe('Reconnecting (attempt 1)'));
    expect(FakeEventSource.latest().closed).toBe(true);

    // The backoff here is a minute: only the button can bring it back this fast.
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2));
    FakeEventSource.latest().fail();
    await waitFor(() => expect(indicator().textContent).toBe('Reconnecting (attempt 2)'));
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(3));
    FakeEventSource.latest().open();
    await waitFor(() => expect(indicator().textContent).toBe('Live'));
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
  });

  it('shows Offline when the browser has no network', async () => {
    const env: StreamEnvironment = { isOnline: () => false, onOnline: () => () => {}, onVisible: () => () => {} };
    const client = testStreamClient(env);
    renderWithProviders(<Watched />, { client });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    FakeEventSource.latest().fail();
    await waitFor(() => expect(indicator().textContent).toBe('Offline'));
    expect(indicator().dataset.status).toBe('offline');
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });
});
