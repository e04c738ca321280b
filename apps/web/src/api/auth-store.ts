import { useSyncExternalStore } from 'react';
import type { AuthResponse, User } from '@tradewire/contract';

export interface Session {
  accessToken: string;
  /** Epoch ms after which the server will refuse the token. */
  expiresAt: number;
  user: User;
}

const STORAGE_KEY = 'tradewire.session';

function read(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.accessToken !== 'string' || typeof s.expiresAt !== 'number' || s.expiresAt <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

/** The signed-in session, persisted in localStorage and shared with other tabs. */
class AuthStore {
  private session: Session | null = typeof localStorage === 'undefined' ? null : read();
  private listeners = new Set<() => void>();

  constructor() {
    // Another tab logging in or out changes this one too.
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (e) => {
        if (e.key !== STORAGE_KEY) return;
        this.session = read();
        this.emit();
      });
    }
  }

  get = () => this.session;

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };

  signIn(res: AuthResponse) {
    this.session = { accessToken: res.access_token, expiresAt: Date.now() + res.expires_in * 1000, user: res.user };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    this.emit();
  }

  updateUser(user: User) {
    if (!this.session) return;
    this.session = { ...this.session, user };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    this.emit();
  }

  signOut() {
    if (!this.session) return;
    this.session = null;
    localStorage.removeItem(STORAGE_KEY);
    this.emit();
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }
}

export const authStore = new AuthStore();

export function useSession(): Session | null {
  return useSyncExternalStore(authStore.subscribe, authStore.get, authStore.get);
}
