import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DEFAULT_SETTINGS, type UserSettings } from '@tradewire/contract';
import { api } from '../api/client';

export const settingsKey = ['settings'] as const;

export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => api.get<UserSettings>('/api/settings', { signal }) });
}

/** The saved settings, or the defaults while they load. */
export const useSettingsOrDefaults = (): UserSettings => useSettings().data ?? DEFAULT_SETTINGS;

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: UserSettings) => api.put<UserSettings>('/api/settings', s),
    // Toggles apply at once; a failed save puts the server's copy back.
    onMutate: (s) => qc.setQueryData(settingsKey, s),
    onSuccess: (s) => qc.setQueryData(settingsKey, s),
    onError: () => void qc.invalidateQueries({ queryKey: settingsKey }),
  });
}
