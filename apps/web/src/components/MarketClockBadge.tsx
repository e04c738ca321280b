import { Clock } from 'lucide-react';
import { useMarketClock } from '../api/trading';
import { Badge } from './ui/badge';

/** The exchange's clock: `Market open · closes 16:00 ET` or `Market closed · opens Mon 09:30 ET`. */
export function MarketClockBadge() {
  const clock = useMarketClock();
  if (!clock.data) return null;
  return (
    <Badge variant={clock.data.is_open ? 'live' : 'default'} data-testid="market-clock" data-open={clock.data.is_open} title={`NYSE calendar from ${clock.data.calendar}`}>
      <Clock className="size-3" aria-hidden />
      {clock.data.message}
    </Badge>
  );
}
