import * as DialogPrimitive from '@radix-ui/react-dialog';
import { cva, type VariantProps } from 'class-variance-authority';
import { X } from 'lucide-react';
import type { ComponentProps } from 'react';
import { cn } from '../../lib/utils';

/** A dialog that slides in from an edge: the mobile drawer and bottom sheet. */
export const Sheet = DialogPrimitive.Root;
export const SheetTitle = DialogPrimitive.Title;

const sheetVariants = cva('fixed z-50 flex flex-col bg-background shadow-xl border-border focus:outline-none', {
  variants: {
    side: {
      left: 'inset-y-0 left-0 w-[85vw] max-w-72 border-r',
      right: 'inset-y-0 right-0 w-[85vw] max-w-sm border-l',
      bottom: 'inset-x-0 bottom-0 max-h-[75dvh] rounded-t-2xl border-t',
    },
  },
  defaultVariants: { side: 'left' },
});

export function SheetContent({
  side,
  className,
  children,
  ...props
}: ComponentProps<typeof DialogPrimitive.Content> & VariantProps<typeof sheetVariants>) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/60" />
      <DialogPrimitive.Content aria-describedby={undefined} className={cn(sheetVariants({ side }), className)} {...props}>
        {children}
        <DialogPrimitive.Close className="absolute top-3 right-3 rounded-sm p-1 text-muted-foreground hover:text-foreground" aria-label="Close">
          <X className="size-4" />
        </DialogPrimitive.Close>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}
