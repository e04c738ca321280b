import { lazy, Suspense, useState } from 'react';
import type { SheetPanelProps } from './sheet-panel';

const SheetPanel = lazy(() => import('./sheet-panel'));

/**
 * A sheet whose code (Radix's dialog, focus trap and scroll lock) loads the first time it opens,
 * so a page that only might open one (the mobile drawer, the activity sheet) does not load it up
 * front. Once opened it stays mounted, so it closes with its animation.
 */
export function LazySheet(props: SheetPanelProps) {
  const [used, setUsed] = useState(props.open);
  if (props.open && !used) setUsed(true);
  if (!used) return null;
  return (
    <Suspense fallback={null}>
      <SheetPanel {...props} />
    </Suspense>
  );
}
