import type { ReactNode } from 'react';
import { errorMessage } from '../api/client';

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <h1 className="truncate text-xl font-semibold tracking-tight sm:text-2xl">{title}</h1>
        {subtitle && <div className="mt-1 text-sm text-muted-foreground">{subtitle}</div>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function ErrorState({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  return (
    <div role="alert" className="rounded-xl border border-loss/30 bg-loss/5 p-4 text-sm" data-testid="error-state">
      <p className="font-medium text-loss">{title}</p>
      <p className="mt-1 text-muted-foreground">{errorMessage(error)}</p>
    </div>
  );
}
