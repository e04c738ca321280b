import { LogOut, Settings } from 'lucide-react';
import { Link } from 'react-router';
import { useLogout } from '../api/auth';
import { useSession } from '../api/auth-store';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from './ui/dropdown-menu';
import { UserMenuTrigger } from './UserMenu';

/** UserMenu once its code is here: opens at once, since the click that loaded it asked for it; closing it focuses the trigger. */
export default function UserMenuLoaded({ onNavigate }: { onNavigate?: () => void }) {
  const session = useSession();
  const logout = useLogout();
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <UserMenuTrigger />
      </DropdownMenuTrigger>
      <DropdownMenuContent side="top" align="start" className="w-[var(--radix-dropdown-menu-trigger-width)]">
        <DropdownMenuLabel>Signed in as {session?.user.role === 'admin' ? 'an admin' : 'a trader'}</DropdownMenuLabel>
        <DropdownMenuItem asChild>
          <Link to="/settings" onClick={onNavigate} data-testid="settings-link">
            <Settings />
            Settings
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => logout.mutate()} data-testid="logout">
          <LogOut />
          Log out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
