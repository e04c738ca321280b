import { lazy, Suspense, useState, type ComponentProps } from 'react';
import { ChevronsUpDown } from 'lucide-react';
import { useSession } from '../api/auth-store';

const LoadedUserMenu = lazy(() => import('./UserMenuLoaded'));
const preload = () => void import('./UserMenuLoaded');

const TRIGGER_CLASS =
  'flex w-full min-w-0 items-center gap-2 rounded-md px-2 py-2 text-left hover:bg-muted/60 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none';

/** The signed-in user's name and email: the menu's trigger. */
export function UserMenuTrigger(props: ComponentProps<'button'>) {
  const session = useSession();
  return (
    <button type="button" className={TRIGGER_CLASS} data-testid="user-menu" {...props}>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm" data-testid="user-name">
          {session?.user.display_name}
        </span>
        <span className="block truncate text-xs text-subtle">{session?.user.email}</span>
      </span>
      <ChevronsUpDown className="size-4 shrink-0 text-subtle" />
    </button>
  );
}

/**
 * Settings and Log out under the user's name. The menu's code (Radix's menu, popper and
 * focus handling) loads when the pointer comes near or the trigger is first used, not with the page.
 */
export function UserMenu({ onNavigate }: { onNavigate?: () => void }) {
  const [opened, setOpened] = useState(false);
  if (!opened) {
    return (
      <UserMenuTrigger
        aria-haspopup="menu"
        aria-expanded={false}
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => setOpened(true)}
      />
    );
  }
  return (
    <Suspense fallback={<UserMenuTrigger aria-haspopup="menu" aria-expanded={false} />}>
      <LoadedUserMenu onNavigate={onNavigate} />
    </Suspense>
  );
}
