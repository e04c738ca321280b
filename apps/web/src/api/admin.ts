import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminModel, AdminStats, AdminUser, Leaderboard, LeaderboardBy, Role } from '@tradewire/contract';
import { ApiError, api } from './client';
import type { Page } from './types';

/** Admin views share one root, so a role change can refresh all of them at once. */
export const adminKeys = {
  all: ['admin'] as const,
  users: ['admin', 'users'] as const,
  models: ['admin', 'models'] as const,
  stats: ['admin', 'stats'] as const,
  leaderboard: (by: LeaderboardBy) => ['admin', 'leaderboard', by] as const,
};

// A 403 will not turn into a 200 by asking again.
const retry = (count: number, error: unknown) => count < 2 && !(error instanceof ApiError && error.status === 403);

export function useAdminUsers() {
  return useQuery({
    queryKey: adminKeys.users,
    queryFn: ({ signal }) => api.get<Page<AdminUser>>('/api/admin/users', { signal }).then((p) => p.items),
    retry,
  });
}

export function useAdminModels() {
  return useQuery({
    queryKey: adminKeys.models,
    queryFn: ({ signal }) => api.get<Page<AdminModel>>('/api/admin/models', { signal }).then((p) => p.items),
    retry,
  });
}

export function useAdminStats() {
  return useQuery({
    queryKey: adminKeys.stats,
    queryFn: ({ signal }) => api.get<AdminStats>('/api/admin/stats', { signal }),
    retry,
    refetchInterval: 5_000,
  });
}

export function useLeaderboard(by: LeaderboardBy) {
  return useQuery({
    queryKey: adminKeys.leaderboard(by),
    queryFn: ({ signal }) => api.get<Leaderboard>('/api/admin/leaderboard', { signal, query: { by, limit: 100 } }).then((l) => l.items),
    retry,
  });
}

export function useSetRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: number; role: Role }) => api.put<AdminUser>(`/api/admin/users/${id}/role`, { role }),
    onSuccess: (user) => {
      qc.setQueryData<AdminUser[]>(adminKeys.users, (users) => users?.map((u) => (u.id === user.id ? user : u)));
      void qc.invalidateQueries({ queryKey: adminKeys.all });
    },
  });
}
