import { useEffect, useMemo, useRef, useState } from 'react';
import type { BuilderEditing } from './builder-context';
import { appendAt, checkDraft, getAt, keyOf, moveAt, removeAt, setAt, type Draft, type Path } from './builder-state';

/** Where focus goes once a change of the rules is on screen. */
type FocusTarget = { item: Path; action?: string } | { addFor: Path };

function focusTarget(target: FocusTarget) {
  if ('addFor' in target) {
    document.querySelector<HTMLElement>(`[data-add-for="${keyOf(target.addFor)}"] button`)?.focus();
    return;
  }
  const item = document.querySelector<HTMLElement>(`[data-path="${keyOf(target.item)}"]`);
  if (!item) return;
  if (target.action) {
    // The item's own actions, not those of a rule or condition inside it.
    const own = [...item.querySelectorAll<HTMLElement>('[data-item-actions]')].find((a) => a.closest('[data-path]') === item);
    own?.querySelector<HTMLElement>(`[data-action="${target.action}"]`)?.focus();
  } else (item.querySelector<HTMLElement>('select, input') ?? item.querySelector<HTMLElement>('button'))?.focus();
}

/**
 * The rule draft and the editing the rule editor does on it, with focus kept where a keyboard user
 * expects it: on a moved item's same button, on a new item's first control, on a removed item's
 * neighbour (or its list's add button).
 */
export function useRuleEditing(initial: Draft, symbols: readonly string[]) {
  const [draft, setDraft] = useState<Draft>(initial);
  const pendingFocus = useRef<FocusTarget | null>(null);
  const check = useMemo(() => checkDraft(draft), [draft]);

  useEffect(() => {
    const target = pendingFocus.current;
    pendingFocus.current = null;
    if (target) focusTarget(target);
  }, [draft]);

  const editing = useMemo<BuilderEditing>(
    () => ({
      draft,
      errors: check.errors,
      symbols,
      set: (path, value) => setDraft((d) => setAt(d, path, value)),
      append: (listPath, item) => {
        const count = ((getAt(draft, listPath) as unknown[] | undefined) ?? []).length;
        pendingFocus.current = { item: [...listPath, count] };
        setDraft((d) => appendAt(d, listPath, item));
      },
      remove: (path) => {
        const list = path.slice(0, -1);
        const index = path.at(-1) as number;
        const count = (getAt(draft, list) as unknown[]).length;
        pendingFocus.current = count > 1 ? { item: [...list, Math.min(index, count - 2)], action: 'remove' } : { addFor: list };
        setDraft((d) => removeAt(d, path));
      },
      move: (path, delta) => {
        const moved = moveAt(draft, path, delta);
        if (!moved) return;
        pendingFocus.current = { item: moved.path, action: delta < 0 ? 'up' : 'down' };
        setDraft(moved.doc);
      },
    }),
    [draft, check.errors, symbols],
  );
  return { draft, setDraft, check, editing };
}
