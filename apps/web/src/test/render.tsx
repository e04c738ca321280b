import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import type { Model } from '@tradewire/contract';
import { keys } from '../api/keys';
import { TooltipProvider } from '../components/ui/tooltip';
import { StreamClient, type StreamEnvironment } from '../stream/client';
import { StreamProvider } from '../stream/StreamProvider';
import { FakeEventSource } from './fake-event-source';

/** A stream client over FakeEventSource with real timers; frames run on a zero timer. */
export function testStreamClient(environment?: StreamEnvironment) {
  FakeEventSource.instances = [];
  return new StreamClient({
    EventSource: FakeEventSource,
    fetchTicket: async () => ({ ticket: 'tk', expires_in: 300 }),
    scheduler: {
      setTimeout: (fn, ms) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      },
      requestFrame: (fn) => void setTimeout(fn, 0),
      now: () => Date.now(),
      random: () => 1,
    },
    environment,
    backoff: { initialMs: 60_000, maxMs: 60_000 },
  });
}

export function testModel(id: number, name: string): Model {
  return {
    id,
    user_id: 1,
    name,
    description: '',
    agent: { kind: 'random', params: {} },
    initial_cash: 10_000,
    allowed_symbols: [],
    risk: { max_position_pct: 25, max_orders_per_step: 5, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 },
    commission_bps: 0,
    slippage_bps: 5,
    dataset: 'simulated',
    status: 'idle',
    last_run: null,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
}

/** Renders with the app's providers: a query cache pre-filled with `models`, the stream, a router. */
export function renderWithProviders(ui: ReactNode, { client, models = [] }: { client: StreamClient; models?: Model[] }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  queryClient.setQueryData(keys.models, models);
  return {
    queryClient,
    ...render(
      <QueryClientProvider client={queryClient}>
        <TooltipProvider>
          <StreamProvider client={client}>
            <MemoryRouter>{ui}</MemoryRouter>
          </StreamProvider>
        </TooltipProvider>
      </QueryClientProvider>,
    ),
  };
}
