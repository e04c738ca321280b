import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="grid place-items-center gap-3 py-20 text-center" data-testid="not-found">
      <p className="text-4xl font-semibold">404</p>
      <p className="text-muted-foreground">There is nothing at this address.</p>
      <Link to="/" className="text-info hover:underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
