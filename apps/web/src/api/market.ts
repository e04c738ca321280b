import { useQuery } from '@tanstack/react-query';
import type { SymbolInfo } from '@tradewire/contract';
import { api } from './client';
import { keys } from './keys';

export function useSymbols() {
  return useQuery({
    queryKey: keys.symbols,
    queryFn: ({ signal }) => api.get<{ symbols: SymbolInfo[] }>('/api/market/symbols', { signal }).then((r) => r.symbols),
    staleTime: 10 * 60_000,
  });
}
