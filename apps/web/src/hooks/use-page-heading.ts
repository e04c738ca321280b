import { useEffect, type RefObject } from 'react';
import { useLocation } from 'react-router';

/** The path whose heading last took focus; null until the first page has shown. */
let focusedPath: string | null = null;

/**
 * Moves focus to the page's heading when the user arrives from another page, so a keyboard or
 * screen-reader user starts reading there, not in the sidebar. The first page of a visit and
 * changes of the query string alone (filters, tabs) leave focus where it is.
 */
export function useHeadingFocus(heading: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  useEffect(() => {
    if (focusedPath === null) {
      focusedPath = pathname;
      return;
    }
    if (focusedPath === pathname) return;
    focusedPath = pathname;
    heading.current?.focus({ preventScroll: true });
  }, [pathname, heading]);
}

/** "AAPL Momentum · Tradewire": the window title names the page (or just the product). */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · Tradewire` : 'Tradewire';
  }, [title]);
}
