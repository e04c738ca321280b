import type { ReactNode } from 'react';

/** A titled part of the context panel. */
export function PanelSection({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="min-w-0" data-testid={testId}>
      <h2 className="mb-2 text-xs font-medium tracking-wide text-subtle uppercase">{title}</h2>
      {children}
    </section>
  );
}
