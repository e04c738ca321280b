import { useMutation, useQuery } from '@tanstack/react-query';
import type { AuthResponse, LoginBody, SignupBody, User } from '@tradewire/contract';
import { authStore, useSession } from './auth-store';
import { api } from './client';
import { keys } from './keys';

export function useLogin() {
  return useMutation({
    mutationFn: (body: LoginBody) => api.post<AuthResponse>('/api/auth/login', body),
    onSuccess: (res) => authStore.signIn(res),
  });
}

export function useSignup() {
  return useMutation({
    mutationFn: (body: SignupBody) => api.post<AuthResponse>('/api/auth/signup', body),
    onSuccess: (res) => authStore.signIn(res),
  });
}

export function useLogout() {
  return useMutation({
    // Leaving must work even when the server cannot be reached.
    mutationFn: () => api.post<void>('/api/auth/logout').catch(() => undefined),
    onSettled: () => authStore.signOut(),
  });
}

/** Confirms the stored session with the server and keeps the user's name fresh. */
export function useMe() {
  const session = useSession();
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      const user = await api.get<User>('/api/auth/me');
      authStore.updateUser(user);
      return user;
    },
    enabled: session !== null,
    staleTime: 5 * 60_000,
  });
}
