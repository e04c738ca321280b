import { useRef, type ReactNode } from 'react';
import { Clock } from 'lucide-react';
import { ApiError, errorMessage } from '../api/client';
import { errorText } from '../api/error-text';
import { useDocumentTitle, useHeadingFocus } from '../hooks/use-page-heading';
import { cn } from '../lib/utils';

/** The page's h1 (focused on arrival from another page) and the window title. */
function PageHeading({ children, documentTitle, className }: { children: ReactNode; documentTitle: string | null; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useHeadingFocus(ref);
  useDocumentTitle(documentTitle);
  return (
    <h1 ref={ref} tabIndex={-1} data-route-focus className={className}>
      {children}
    </h1>
  );
}

export function PageHeader({
  title,
  documentTitle,
  subtitle,
  actions,
}: {
  title: ReactNode;
  /** The window title's page part; defaults to `title` when that is text. */
  documentTitle?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <PageHeading documentTitle={documentTitle ?? (typeof title === 'string' ? title : null)} className="truncate text-xl font-semibold tracking-tight sm:text-2xl">
          {title}
        </PageHeading>
        {subtitle && <div className="mt-1 text-sm text-muted-foreground">{subtitle}</div>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

/** A page that shows only a message (not found, admins only, an error): its title is the page's h1. */
export function MessagePage({ title, icon, children, testId }: { title: string; icon?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="grid place-items-center gap-3 py-20 text-center" data-testid={testId}>
      {icon}
      <PageHeading documentTitle={title} className="text-2xl font-semibold">
        {title}
      </PageHeading>
      {children}
    </div>
  );
}

/**
 * A failure in words a person reads: the friendly text of the API's error code, the server's
 * message under it. `page` makes the title the page's h1 (when the page could not load at all).
 */
export function ErrorState({ error, title = 'Something went wrong', page = false }: { error: unknown; title?: string; page?: boolean }) {
  const text = error instanceof ApiError ? errorText(error.code, error.status, error.message) : { summary: errorMessage(error), detail: null };
  return (
    <div role="alert" className="rounded-xl border border-loss/30 bg-loss/5 p-4 text-sm" data-testid="error-state">
      {page ? (
        <PageHeading documentTitle={title} className="font-medium text-loss">
          {title}
        </PageHeading>
      ) : (
        <p className="font-medium text-loss">{title}</p>
      )}
      <p className="mt-1 text-muted-foreground">{text.summary}</p>
      {text.detail && (
        <p className="mt-1 text-xs text-subtle" data-testid="error-detail">
          {text.detail}
        </p>
      )}
    </div>
  );
}

/** Says that the figures around it are the last ones known, while the server cannot be reached. */
export function StaleNote({ className }: { className?: string }) {
  return (
    <p className={cn('flex items-center gap-1.5 text-xs text-warn', className)} role="status" data-testid="stale-note">
      <Clock className="size-3.5" aria-hidden />
      Last known values: reconnecting to the server
    </p>
  );
}
