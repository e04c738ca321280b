import { useCallback, useMemo } from 'react';
import { useModels } from '../api/models';

/** Looks a model's name up by id, for events that carry only the id. */
export function useModelNames(): (id: number | null) => string {
  const { data: models } = useModels();
  const names = useMemo(() => new Map((models ?? []).map((m) => [m.id, m.name])), [models]);
  return useCallback((id) => (id === null ? 'Tradewire' : (names.get(id) ?? `Model #${id}`)), [names]);
}
