import { lazy, Suspense, useState, type ReactElement, type ReactNode } from 'react';
import { Slot } from '@radix-ui/react-slot';

const LoadedTooltip = lazy(() => import('./tooltip-loaded'));

/**
 * A tooltip whose code (Radix's tooltip, popper and floating-ui) loads the first time its trigger
 * is hovered or focused, so pages that show one do not load it up front. The trigger is
 * `children`, one element that takes a ref, as with `TooltipTrigger asChild`.
 */
export function LazyTooltip({ content, children }: { content: ReactNode; children: ReactElement }) {
  const [wanted, setWanted] = useState<'hover' | 'focus' | null>(null);
  const plain = (
    <Slot onPointerEnter={() => setWanted((w) => w ?? 'hover')} onFocus={() => setWanted((w) => w ?? 'focus')}>
      {children}
    </Slot>
  );
  if (!wanted) return plain;
  return (
    <Suspense fallback={plain}>
      <LoadedTooltip content={content} focus={wanted === 'focus'}>
        {children}
      </LoadedTooltip>
    </Suspense>
  );
}
