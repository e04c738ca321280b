import { memo } from 'react';
import { ChartGantt, Database, GitCompareArrows, LayoutDashboard, ListChecks, Plus, Search, ShieldCheck, Trophy } from 'lucide-react';
import { Link, NavLink } from 'react-router';
import type { Model } from '@tradewire/contract';
import { useSession } from '../api/auth-store';
import { useModels } from '../api/models';
import { cn } from '../lib/utils';
import { useModelLiveStatus } from '../stream/hooks';
import { modelOutcome, ModelStatusBadge } from './ModelStatusBadge';
import { LiveBadge } from './ui/badge';
import { Button } from './ui/button';
import { Skeleton } from './ui/skeleton';
import { UserMenu } from './UserMenu';

const linkClass = ({ isActive }: { isActive: boolean }) =>
  cn(
    'flex min-w-0 items-center gap-2 rounded-md px-3 py-2 text-sm transition-colors max-lg:min-h-11',
    isActive ? 'bg-muted text-foreground' : 'text-muted-foreground hover:bg-muted/60 hover:text-foreground',
  );

/** Dashboard link, every model with a pulsing Live badge while it runs, and the account. */
export function NavigationSidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { data: models, isLoading, error } = useModels();
  const session = useSession();
  return (
    <nav className="flex h-full min-h-0 flex-col" data-testid="sidebar" aria-label="Main">
      <Link to="/" onClick={onNavigate} className="flex h-14 shrink-0 items-center gap-2 px-4 font-semibold tracking-tight">
        <span className="grid size-7 place-items-center rounded-md bg-profit/15 text-profit">T</span>
        Tradewire
      </Link>
      <div className="px-2">
        <NavLink to="/" end onClick={onNavigate} className={linkClass}>
          <LayoutDashboard className="size-4" />
          Dashboard
        </NavLink>
        <NavLink to="/arena" onClick={onNavigate} className={linkClass} data-testid="arena-link">
          <Trophy className="size-4" />
          Arena
        </NavLink>
        <NavLink to="/search" onClick={onNavigate} className={linkClass} data-testid="search-link">
          <Search className="size-4" />
          Search
        </NavLink>
        <NavLink to="/timeline" onClick={onNavigate} className={linkClass} data-testid="timeline-link">
          <ChartGantt className="size-4" />
          Timeline
        </NavLink>
        <NavLink to="/compare" onClick={onNavigate} className={linkClass} data-testid="compare-nav-link">
          <GitCompareArrows className="size-4" />
          Compare runs
        </NavLink>
        {session?.user.role === 'admin' && (
          <>
            <NavLink to="/admin" end onClick={onNavigate} className={linkClass} data-testid="admin-link">
              <ShieldCheck className="size-4" />
              Admin
            </NavLink>
            <NavLink to="/admin/market" onClick={onNavigate} className={linkClass} data-testid="sidebar-market-link">
              <Database className="size-4" />
              Market data
            </NavLink>
          </>
        )}
      </div>
      <div className="mt-4 flex items-center justify-between px-4 pb-1">
        <span className="text-xs font-medium tracking-wide text-subtle uppercase">Models</span>
        <span className="flex items-center gap-0.5">
          <Button asChild size="icon" variant="ghost" className="size-7" aria-label="New rule-based strategy" title="New rule-based strategy">
            <Link to="/models/new/rules" onClick={onNavigate} data-testid="sidebar-new-rules">
              <ListChecks />
            </Link>
          </Button>
          <Button asChild size="icon" variant="ghost" className="size-7" aria-label="New model">
            <Link to="/models/new" onClick={onNavigate} data-testid="sidebar-new-model">
              <Plus />
            </Link>
          </Button>
        </span>
      </div>
      <ul className="min-h-0 flex-1 space-y-0.5 overflow-y-auto px-2 pb-2" data-testid="sidebar-models">
        {isLoading && [0, 1, 2].map((i) => <Skeleton key={i} className="my-1 h-8" />)}
        {error && <li className="px-3 py-2 text-xs text-loss">Could not load models</li>}
        {models?.length === 0 && <li className="px-3 py-2 text-xs text-subtle">No models yet</li>}
        {models?.map((m) => (
          <SidebarModel key={m.id} model={m} onNavigate={onNavigate} />
        ))}
      </ul>
      <div className="shrink-0 border-t border-border p-2">
        <UserMenu onNavigate={onNavigate} />
      </div>
    </nav>
  );
}

const SidebarModel = memo(function SidebarModel({ model, onNavigate }: { model: Model; onNavigate?: () => void }) {
  // Status only: the sidebar does not re-render its links with every event of a running model.
  const live = useModelLiveStatus(model.id);
  const running = (live?.status ?? model.status) === 'running';
  const outcome = modelOutcome(model, live);
  return (
    <li>
      <NavLink
        to={`/models/${model.id}`}
        onClick={onNavigate}
        className={linkClass}
        data-testid={`sidebar-model-${model.id}`}
        data-status={running ? 'running' : 'idle'}
      >
        <span className="min-w-0 flex-1 truncate">{model.name}</span>
        {running && <LiveBadge />}
        {/* A run that went wrong stays flagged until the next one. */}
        {(outcome?.status === 'failed' || outcome?.status === 'interrupted') && <ModelStatusBadge outcome={outcome} />}
      </NavLink>
    </li>
  );
});
