import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Model, ModelCreate, ModelUpdate } from '@tradewire/contract';
import { api } from './client';
import { keys } from './keys';
import type { Page } from './types';

export function useModels() {
  return useQuery({
    queryKey: keys.models,
    queryFn: ({ signal }) => api.get<Page<Model>>('/api/models', { signal }).then((p) => p.items),
  });
}

export function useModel(id: number | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.modelDetail(id ?? 0),
    queryFn: ({ signal }) => api.get<Model>(`/api/models/${id}`, { signal }),
    enabled: id !== null,
    // The list usually has it already: show that at once, then confirm.
    initialData: () => qc.getQueryData<Model[]>(keys.models)?.find((m) => m.id === id),
    initialDataUpdatedAt: () => qc.getQueryState(keys.models)?.dataUpdatedAt,
  });
}

export function useCreateModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ModelCreate) => api.post<Model>('/api/models', body),
    onSuccess: (m) => {
      qc.setQueryData(keys.modelDetail(m.id), m);
      void qc.invalidateQueries({ queryKey: keys.models });
      void qc.invalidateQueries({ queryKey: keys.stats });
    },
  });
}

export function useUpdateModel(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ModelUpdate) => api.put<Model>(`/api/models/${id}`, body),
    onSuccess: (m) => {
      qc.setQueryData(keys.modelDetail(id), m);
      void qc.invalidateQueries({ queryKey: keys.models });
    },
  });
}

export function useDeleteModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/models/${id}`),
    onSuccess: (_r, id) => {
      qc.setQueryData<Model[]>(keys.models, (list) => list?.filter((m) => m.id !== id));
      qc.removeQueries({ queryKey: keys.model(id) });
      void qc.invalidateQueries({ queryKey: keys.models });
      void qc.invalidateQueries({ queryKey: keys.stats });
      void qc.invalidateQueries({ queryKey: keys.tradingStatus });
    },
  });
}
