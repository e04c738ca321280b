import { useQuery } from '@tanstack/react-query';
import type { Dataset, SymbolInfo } from '@tradewire/contract';
import { api } from './client';
import { keys } from './keys';

export function useSymbols(dataset = 'simulated') {
  return useQuery({
    queryKey: [...keys.symbols, dataset],
    queryFn: ({ signal }) =>
      api.get<{ symbols: SymbolInfo[] }>(`/api/market/symbols?dataset=${encodeURIComponent(dataset)}`, { signal }).then((r) => r.symbols),
    staleTime: 10 * 60_000,
  });
}

export function useDatasets() {
  return useQuery({
    queryKey: keys.datasets,
    queryFn: ({ signal }) => api.get<{ datasets: Dataset[] }>('/api/market/datasets', { signal }).then((r) => r.datasets),
    staleTime: 60_000,
  });
}
