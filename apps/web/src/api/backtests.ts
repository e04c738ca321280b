import { useMutation } from '@tanstack/react-query';
import type { BacktestRequest, BacktestResult } from '@tradewire/contract';
import { api } from './client';

/** "Backtest now": a strategy played over a range on the server and answered at once; nothing is saved. */
export function useBacktest() {
  return useMutation({
    mutationFn: ({ body, signal }: { body: BacktestRequest; signal?: AbortSignal }) => api.post<BacktestResult>('/api/backtests', body, { signal }),
  });
}
