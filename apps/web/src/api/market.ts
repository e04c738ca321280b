import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dataset, FetchBody, FetchJob, ImportResult, SymbolInfo } from '@tradewire/contract';
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

/** New bars change every data set's span and symbol list. */
function useInvalidateMarket() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: keys.datasets });
    void qc.invalidateQueries({ queryKey: keys.symbols });
  };
}

/** Starts a download from a provider (admins only); the job then runs in the background. */
export function useStartFetch() {
  return useMutation({ mutationFn: (body: FetchBody) => api.post<FetchJob>('/api/market/fetch', body) });
}

/** A fetch job, polled twice a second until it has finished. */
export function useFetchJob(jobId: string | null) {
  const refresh = useInvalidateMarket();
  return useQuery({
    queryKey: ['market-fetch', jobId],
    queryFn: async ({ signal }) => {
      const job = await api.get<FetchJob>(`/api/market/fetch/${jobId}`, { signal });
      if (job.finished_at !== null) refresh();
      return job;
    },
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.finished_at ? false : 500),
  });
}

/** Imports one file as the CLI would (its name gives the symbol and format; errors name it). */
export function useImportFile() {
  const refresh = useInvalidateMarket();
  return useMutation({
    mutationFn: ({ file, dataset, adjustSplits }: { file: File; dataset: string; adjustSplits?: boolean }) =>
      api.upload<ImportResult>('/api/market/import', file, {
        query: { filename: file.name, dataset: dataset || undefined, adjust_splits: adjustSplits === undefined ? undefined : String(adjustSplits) },
      }),
    onSettled: refresh,
  });
}
