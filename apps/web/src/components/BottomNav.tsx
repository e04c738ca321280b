import { ChartGantt, LayoutDashboard, Search, Settings, Trophy } from 'lucide-react';
import { NavLink } from 'react-router';
import { cn } from '../lib/utils';

const SECTIONS = [
  { to: '/', label: 'Dashboard', Icon: LayoutDashboard, end: true },
  { to: '/arena', label: 'Arena', Icon: Trophy },
  { to: '/timeline', label: 'Timeline', Icon: ChartGantt },
  { to: '/search', label: 'Search', Icon: Search },
  { to: '/settings', label: 'Settings', Icon: Settings },
] as const;

/** The main sections within a thumb's reach on phones and tablets, where the sidebar is a drawer. */
export function BottomNav() {
  return (
    <nav
      aria-label="Sections"
      className="fixed inset-x-0 bottom-0 z-40 border-t border-border bg-background pb-[env(safe-area-inset-bottom)]"
      data-testid="bottom-nav"
    >
      <ul className="mx-auto grid max-w-lg grid-cols-5">
        {SECTIONS.map(({ to, label, Icon, ...rest }) => (
          <li key={to}>
            <NavLink
              to={to}
              end={'end' in rest}
              className={({ isActive }) =>
                cn(
                  'flex h-14 flex-col items-center justify-center gap-0.5 text-[11px] focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
                  isActive ? 'text-foreground' : 'text-muted-foreground',
                )
              }
            >
              <Icon className="size-5" aria-hidden />
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
