import { Link } from 'react-router';
import { MessagePage } from '../components/states';
import { Button } from '../components/ui/button';

export function NotFoundPage() {
  return (
    <MessagePage title="Page not found" testId="not-found">
      <p className="text-muted-foreground">There is nothing at this address (404).</p>
      <Button asChild variant="outline">
        <Link to="/">Back to the dashboard</Link>
      </Button>
    </MessagePage>
  );
}
