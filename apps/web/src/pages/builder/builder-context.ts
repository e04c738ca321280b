import { createContext, useContext } from 'react';
import type { Draft, FieldErrors, Path } from './builder-state';

/** What every piece of the rule editor reads and how it changes the draft. */
export interface BuilderEditing {
  draft: Draft;
  /** Problems by dotted path into the draft (see placeIssues). */
  errors: FieldErrors;
  /** Symbols a rule set may list: the model's, else every symbol of its data set. */
  symbols: readonly string[];
  set(path: Path, value: unknown): void;
  /** Adds `item` to the list at `listPath` and moves focus into it. */
  append(listPath: Path, item: unknown): void;
  /** Removes the list item at `path`; focus goes to a neighbour, else to the list's add button. */
  remove(path: Path): void;
  /** Moves the list item at `path` up or down; focus follows it. */
  move(path: Path, delta: -1 | 1): void;
}

export const BuilderContext = createContext<BuilderEditing | null>(null);

export function useBuilder(): BuilderEditing {
  const ctx = useContext(BuilderContext);
  if (!ctx) throw new Error('useBuilder outside the strategy builder');
  return ctx;
}
