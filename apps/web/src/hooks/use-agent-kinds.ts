import { useCallback, useMemo } from 'react';
import type { AgentKind } from '@tradewire/contract';
import { useModels } from '../api/models';

/** Looks a model's agent kind up by id, so events can say who acted ("SMA crossover buys…"). */
export function useAgentKinds(): (id: number | null) => AgentKind | null {
  const { data: models } = useModels();
  const kinds = useMemo(() => new Map((models ?? []).map((m) => [m.id, m.agent.kind])), [models]);
  return useCallback((id) => (id === null ? null : (kinds.get(id) ?? null)), [kinds]);
}
