import { ShieldAlert } from 'lucide-react';
import { Link } from 'react-router';
import { MessagePage } from './states';
import { Button } from './ui/button';

export function AdminsOnly() {
  return (
    <MessagePage title="Admins only" icon={<ShieldAlert className="size-8 text-warn" />} testId="admins-only">
      <p className="text-muted-foreground">This page is for platform admins. Ask an admin if you need access.</p>
      <Button asChild variant="outline">
        <Link to="/">Back to the dashboard</Link>
      </Button>
    </MessagePage>
  );
}
