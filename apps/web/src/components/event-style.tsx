import {
  Activity,
  Ban,
  Brain,
  Briefcase,
  ChartCandlestick,
  CircleAlert,
  CircleCheck,
  CircleStop,
  CircleX,
  Flag,
  Gauge,
  Minus,
  RotateCcw,
  TrendingDown,
  TrendingUp,
  TriangleAlert,
  Wifi,
  type LucideIcon,
} from 'lucide-react';
import type { AgentKind, RunStatus, TradingEvent } from '@tradewire/contract';
import { describeEvent } from '../lib/event-text';

export interface EventStyle {
  Icon: LucideIcon;
  /** Tailwind text colour class. */
  tone: string;
  label: string;
}

/**
 * How a run's end looks wherever it is told (feed, badges, toasts, cards): failed is an error,
 * interrupted a warning, stopped neutral, completed a success.
 */
export const OUTCOME_STYLE: Record<RunStatus, EventStyle> = {
  completed: { Icon: CircleCheck, tone: 'text-profit', label: 'Completed' },
  stopped: { Icon: CircleStop, tone: 'text-info', label: 'Stopped' },
  interrupted: { Icon: TriangleAlert, tone: 'text-warn', label: 'Interrupted' },
  failed: { Icon: CircleX, tone: 'text-loss', label: 'Failed' },
  running: { Icon: Activity, tone: 'text-info', label: 'Running' },
};

/** Icon, colour and a short label per event type (and per trade side, and per run outcome). */
export function eventStyle(e: TradingEvent): EventStyle {
  switch (e.type) {
    case 'trade':
      if (e.data.status === 'rejected') return { Icon: Ban, tone: 'text-warn', label: 'Rejected' };
      if (e.data.action === 'buy') return { Icon: TrendingUp, tone: 'text-profit', label: 'Buy' };
      if (e.data.action === 'sell') return { Icon: TrendingDown, tone: 'text-loss', label: 'Sell' };
      return { Icon: Minus, tone: 'text-muted-foreground', label: 'Hold' };
    case 'decision':
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
      return OUTCOME_STYLE[e.data.status];
    case 'error':
      return { Icon: CircleAlert, tone: 'text-loss', label: 'Error' };
    case 'reset':
      return { Icon: RotateCcw, tone: 'text-warn', label: 'Resynced' };
    case 'connected':
      return { Icon: Wifi, tone: 'text-profit', label: 'Connected' };
    case 'bar':
      return { Icon: ChartCandlestick, tone: 'text-muted-foreground', label: 'Bar' };
  }
}

/** The one line a person reads for an event; `kind` is the model's agent kind, when known. */
export function eventText(e: TradingEvent, kind?: AgentKind | null): string {
  return describeEvent(e, kind);
}

/** Plural names of event types, for filters. */
export const EVENT_TYPE_LABELS: Partial<Record<TradingEvent['type'], string>> = {
  trade: 'Trades',
  decision: 'Holds',
  status: 'Status',
  reasoning: 'Reasoning',
  error: 'Errors',
  session_complete: 'Session end',
  complete: 'Complete',
};
