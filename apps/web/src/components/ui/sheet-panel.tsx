import type { ReactNode } from 'react';
import { Sheet, SheetContent, SheetTitle } from './sheet';

export interface SheetPanelProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  side: 'left' | 'right' | 'bottom';
  title: ReactNode;
  titleClassName?: string;
  children: ReactNode;
}

/** A sheet with its title and content: what LazySheet loads. */
export default function SheetPanel({ open, onOpenChange, side, title, titleClassName, children }: SheetPanelProps) {
  return (
    <Sheet open={open} onOpenChange={onOpenChange}>
      <SheetContent side={side}>
        <SheetTitle className={titleClassName}>{title}</SheetTitle>
        {children}
      </SheetContent>
    </Sheet>
  );
}
