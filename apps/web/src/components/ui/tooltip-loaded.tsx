import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { Tooltip, TooltipContent, TooltipProvider, TooltipTrigger } from './tooltip';

/** LazyTooltip once loaded: open at once (the pointer or focus that asked for it is there), focus kept. */
export default function LoadedTooltip({ content, focus, children }: { content: ReactNode; focus: boolean; children: ReactElement }) {
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // The trigger was rendered anew: give it back the focus that asked for the tooltip.
    if (focus) trigger.current?.focus();
  }, [focus]);
  return (
    <TooltipProvider delayDuration={300}>
      <Tooltip defaultOpen>
        <TooltipTrigger asChild ref={trigger}>
          {children}
        </TooltipTrigger>
        <TooltipContent>{content}</TooltipContent>
      </Tooltip>
    </TooltipProvider>
  );
}
