import {
  Activity,
  Ban,
  Brain,
  Briefcase,
  CircleAlert,
  CircleCheck,
  Flag,
  Gauge,
  Minus,
  RotateCcw,
  TrendingDown,
  TrendingUp,
  Wifi,
  type LucideIcon,
} from 'lucide-react';
import type { TradingEvent } from '@tradewire/contract';

export interface EventStyle {
  Icon: LucideIcon;
  /** Tailwind text colour class. */
  tone: string;
  label: string;
}

/** Icon, colour and a short label per event type (and per trade side). */
export function eventStyle(e: TradingEvent): EventStyle {
  switch (e.type) {
    case 'trade':
      if (e.data.status === 'rejected') return { Icon: Ban, tone: 'text-warn', label: 'Rejected' };
      if (e.data.action === 'buy') return { Icon: TrendingUp, tone: 'text-profit', label: 'Buy' };
      if (e.data.action === 'sell') return { Icon: TrendingDown, tone: 'text-loss', label: 'Sell' };
      return { Icon: Minus, tone: 'text-muted-foreground', label: 'Hold' };
    case 'status':
      return { Icon: Activity, tone: 'text-info', label: 'Status' };
    case 'progress':
      return { Icon: Gauge, tone: 'text-muted-foreground', label: 'Progress' };
    case 'portfolio':
      return { Icon: Briefcase, tone: 'text-muted-foreground', label: 'Portfolio' };
    case 'reasoning':
      return { Icon: Brain, tone: 'text-violet-400', label: 'Reasoning' };
    case 'session_complete':
      return { Icon: Flag, tone: 'text-profit', label: 'Session complete' };
    case 'complete':
      return { Icon: CircleCheck, tone: 'text-profit', label: 'Complete' };
    case 'error':
      return { Icon: CircleAlert, tone: 'text-loss', label: 'Error' };
    case 'reset':
      return { Icon: RotateCcw, tone: 'text-warn', label: 'Resynced' };
    case 'connected':
      return { Icon: Wifi, tone: 'text-profit', label: 'Connected' };
  }
}

/** The one line a person reads for an event. */
export function eventText(e: TradingEvent): string {
  if (e.type === 'reasoning') return e.data.text || e.data.message;
  return e.data.message;
}
