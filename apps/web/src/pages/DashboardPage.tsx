import { Plus } from 'lucide-react';
import { Link } from 'react-router';
import { LiveEquityChart } from '../components/LiveEquityChart';
import { MarketClockBadge } from '../components/MarketClockBadge';
import { ModelCardsGrid } from '../components/ModelCardsGrid';
import { PageHeader } from '../components/states';
import { StatsGrid } from '../components/StatsGrid';
import { Button } from '../components/ui/button';

export function DashboardPage() {
  return (
    <div className="mx-auto grid grid-cols-1 max-w-6xl gap-6" data-testid="dashboard">
      <PageHeader
        title="Dashboard"
        subtitle="Paper trading on simulated, imported or live market data."
        actions={
          <>
            <MarketClockBadge />
            <Button asChild variant="primary">
            <Link to="/models/new" data-testid="new-model">
              <Plus />
              New model
            </Link>
          </Button>
          </>
        }
      />
      <StatsGrid />
      <section className="grid grid-cols-1 gap-3">
        <h2 className="text-sm font-medium text-muted-foreground">Live equity</h2>
        <LiveEquityChart />
      </section>
      <section className="grid grid-cols-1 gap-3">
        <h2 className="text-sm font-medium text-muted-foreground">Models</h2>
        <ModelCardsGrid />
      </section>
    </div>
  );
}
