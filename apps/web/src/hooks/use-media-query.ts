import { useSyncExternalStore } from 'react';

/** Whether a CSS media query matches now; false where matchMedia is missing (tests, old engines). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      if (typeof window.matchMedia !== 'function') return () => {};
      const mql = window.matchMedia(query);
      mql.addEventListener('change', onChange);
      return () => mql.removeEventListener('change', onChange);
    },
    () => (typeof window.matchMedia === 'function' ? window.matchMedia(query).matches : false),
    () => false,
  );
}

export const DESKTOP = '(min-width: 1024px)';
export const WIDE = '(min-width: 1280px)';
/** Narrower than Tailwind's `sm`: tables stack, toasts move to the top. */
export const PHONE = '(max-width: 639.98px)';
