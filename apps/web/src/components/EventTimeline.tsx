import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Maximize2, ZoomIn, ZoomOut } from 'lucide-react';
import type { TradingEvent } from '@tradewire/contract';
import { useAgentKinds } from '../hooks/use-agent-kinds';
import { formatDate, formatTime } from '../lib/format';
import { cn } from '../lib/utils';
import { eventStyle, eventText } from './event-style';
import { clampView, formatTick, panView, timeExtent, timeTicks, timeToX, xToTime, zoomView, type TimeView } from './timeline-scale';
import { Button } from './ui/button';

/** A run's recorded events, oldest first, as a vertical timeline. */
export const EventTimeline = memo(function EventTimeline({ events }: { events: TradingEvent[] }) {
  const kindOf = useAgentKinds();
  if (events.length === 0) return <p className="py-4 text-sm text-subtle" data-testid="timeline-empty">No recorded events.</p>;
  return (
    <ol className="relative ml-2 grid grid-cols-1 gap-3 border-l border-border pl-5" data-testid="event-timeline">
      {events.map((e) => {
        const { Icon, tone, label } = eventStyle(e);
        return (
          <li key={e.id} className="relative min-w-0" data-testid="timeline-item" data-event-type={e.type}>
            <span className="absolute top-0.5 -left-[29px] grid size-4 place-items-center rounded-full bg-background">
              <Icon className={cn('size-4', tone)} aria-label={label} />
            </span>
            <div className="flex flex-wrap items-baseline gap-x-2 text-xs">
              <span className={cn('font-medium', tone)}>{label}</span>
              {'date' in e.data && typeof e.data.date === 'string' && <span className="text-subtle">{formatDate(e.data.date)}</span>}
              <time className="text-subtle tabular" dateTime={e.timestamp}>
                {formatTime(e.timestamp)}
              </time>
            </div>
            <p className="text-sm break-words whitespace-pre-wrap text-muted-foreground">{eventText(e, kindOf(e.model_id))}</p>
          </li>
        );
      })}
    </ol>
  );
});

/** Lane labels take less room on a phone, so the plot keeps most of the width. */
const labelWidth = (width: number) => (width < 480 ? 72 : 112);
const LANE_H = 28;
const AXIS_H = 22;
const DOT_R = 4;

interface TimedEvent {
  event: TradingEvent;
  t: number;
}

/**
 * The width of an element, following resizes (a fixed guess where ResizeObserver is missing). A
 * callback ref: the element may appear only after the first events arrive, and must be measured then.
 */
function useWidth(fallback = 720): [(el: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observe = useCallback((el: HTMLElement | null) => {
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => entry && setWidth(Math.max(200, entry.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [observe, width];
}

/**
 * Events on a horizontal time axis, one lane per model, dots coloured by type. Zoom with the
 * buttons or the wheel (around the pointer), pan with shift+wheel; hover or click a dot for its detail.
 */
export const EventTimelineChart = memo(function EventTimelineChart({
  events,
  modelName = (id) => (id === null ? 'Tradewire' : `Model #${id}`),
}: {
  events: readonly TradingEvent[];
  modelName?: (id: number | null) => string;
}) {
  const [wrap, width] = useWidth();
  const svg = useRef<SVGSVGElement>(null);
  const labelW = labelWidth(width);
  const plotW = Math.max(50, width - labelW - DOT_R * 2);

  const timed = useMemo(() => {
    const out: TimedEvent[] = [];
    for (const event of events) {
      const t = Date.parse(event.timestamp);
      if (event.type !== 'connected' && Number.isFinite(t)) out.push({ event, t });
    }
    return out;
  }, [events]);
  const lanes = useMemo(() => [...new Set(timed.map((p) => p.event.model_id))].sort((a, b) => (a ?? -1) - (b ?? -1)), [timed]);
  const bounds = useMemo(() => timeExtent(timed.map((p) => p.t)), [timed]);
  // null follows the whole extent as events arrive; a zoom pins a window.
  const [zoom, setZoom] = useState<TimeView | null>(null);
  const view = bounds && (zoom ? clampView(zoom, bounds) : bounds);
  const hasView = view !== null;
  const [hovered, setHovered] = useState<TradingEvent | null>(null);
  const [pinned, setPinned] = useState<TradingEvent | null>(null);

  const zoomBy = useCallback(
    (factor: number, anchor?: number) => {
      if (!view || !bounds) return;
      const next = zoomView(view, factor, anchor ?? (view.start + view.end) / 2, bounds);
      setZoom(next.start <= bounds.start && next.end >= bounds.end ? null : next);
    },
    [view, bounds],
  );

  // React's wheel listener is passive; zooming must stop the page from scrolling.
  const wheel = useRef<(e: WheelEvent) => void>(() => {});
  useEffect(() => {
    wheel.current = (e: WheelEvent) => {
      if (!view || !bounds) return;
      e.preventDefault();
      const rect = svg.current!.getBoundingClientRect();
      const x = e.clientX - rect.left - labelW;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const delta = e.shiftKey ? e.deltaY || e.deltaX : e.deltaX;
        setZoom(panView(view, (delta / plotW) * (view.end - view.start), bounds));
        return;
      }
      zoomBy(Math.exp(-e.deltaY * 0.002), xToTime(Math.max(0, Math.min(plotW, x)), view, plotW));
    };
  });
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => wheel.current(e);
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [hasView]);

  if (!view) return <p className="py-4 text-sm text-subtle" data-testid="timeline-chart-empty">No events to show.</p>;
  const height = lanes.length * LANE_H + AXIS_H;
  const { step, ticks } = timeTicks(view, Math.max(2, Math.floor(plotW / 110)));
  const visible = timed.filter((p) => p.t >= view.start && p.t <= view.end);
  const detail = pinned ?? hovered;

  return (
    <div className="grid min-w-0 grid-cols-1 gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-subtle">
        <span className="min-w-0 tabular" data-testid="timeline-range">
          {visible.length} of {timed.length} events · {formatTick(view.start, step)} – {formatTick(view.end, step)}
        </span>
        <div className="flex gap-1">
          <Button size="icon" variant="outline" className="size-7" aria-label="Zoom in" onClick={() => zoomBy(2)} data-testid="timeline-zoom-in">
            <ZoomIn />
          </Button>
          <Button size="icon" variant="outline" className="size-7" aria-label="Zoom out" onClick={() => zoomBy(0.5)} disabled={zoom === null} data-testid="timeline-zoom-out">
            <ZoomOut />
          </Button>
          <Button size="icon" variant="outline" className="size-7" aria-label="Show everything" onClick={() => setZoom(null)} disabled={zoom === null} data-testid="timeline-zoom-reset">
            <Maximize2 />
          </Button>
        </div>
      </div>
      <div ref={wrap} className="min-w-0">
        <svg
          ref={svg}
          width={width}
          height={height}
          className="block touch-none select-none"
          role="img"
          aria-label="Event timeline"
          data-testid="timeline"
          data-view-start={Math.round(view.start)}
          data-view-end={Math.round(view.end)}
          data-span-ms={Math.round(view.end - view.start)}
          onMouseLeave={() => setHovered(null)}
        >
          <g transform={`translate(${labelW},0)`}>
            {ticks.map((t) => {
              const x = timeToX(t, view, plotW);
              return (
                <g key={t} className="text-border">
                  <line x1={x} x2={x} y1={0} y2={height - AXIS_H} stroke="currentColor" />
                  <text x={x} y={height - 6} textAnchor="middle" fontSize={10} className="fill-subtle tabular">
                    {formatTick(t, step)}
                  </text>
                </g>
              );
            })}
          </g>
          {lanes.map((id, lane) => {
            const y = lane * LANE_H + LANE_H / 2;
            return (
              <g key={id ?? 'system'} data-testid="timeline-lane" data-model-id={id ?? ''}>
                <line x1={labelW} x2={labelW + plotW} y1={y} y2={y} className="text-border" stroke="currentColor" />
                <text x={8} y={y + 4} fontSize={11} className="fill-muted-foreground">
                  {truncate(modelName(id), labelW < 112 ? 10 : 16)}
                </text>
              </g>
            );
          })}
          <g transform={`translate(${labelW},0)`}>
            {visible.map(({ event, t }) => {
              const { tone, label } = eventStyle(event);
              const selected = detail?.id === event.id;
              return (
                <circle
                  key={event.id}
                  cx={timeToX(t, view, plotW)}
                  cy={lanes.indexOf(event.model_id) * LANE_H + LANE_H / 2}
                  r={selected ? DOT_R + 2 : DOT_R}
                  fill="currentColor"
                  className={cn('cursor-pointer', tone)}
                  stroke={selected ? 'white' : 'none'}
                  data-testid="timeline-dot"
                  data-type={event.type}
                  data-event-id={event.id}
                  onMouseEnter={() => setHovered(event)}
                  onClick={() => setPinned((p) => (p?.id === event.id ? null : event))}
                >
                  <title>{`${label} · ${formatTime(event.timestamp)}`}</title>
                </circle>
              );
            })}
          </g>
        </svg>
      </div>
      {detail && <TimelineDetail event={detail} model={lanes.length > 1 ? modelName(detail.model_id) : undefined} />}
    </div>
  );
});

function TimelineDetail({ event, model }: { event: TradingEvent; model?: string }) {
  const { Icon, tone, label } = eventStyle(event);
  const kindOf = useAgentKinds();
  return (
    <div className="flex min-w-0 gap-3 rounded-lg border border-border p-3" data-testid="timeline-detail" data-event-id={event.id}>
      <Icon className={cn('mt-0.5 size-4 shrink-0', tone)} aria-label={label} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline gap-x-2 text-xs">
          <span className={cn('font-medium', tone)}>{label}</span>
          {model && <span className="text-muted-foreground">{model}</span>}
          {'date' in event.data && typeof event.data.date === 'string' && <span className="text-subtle">{formatDate(event.data.date)}</span>}
          <time className="text-subtle tabular" dateTime={event.timestamp}>
            {formatTime(event.timestamp)}
          </time>
          <span className="text-subtle">#{event.id}</span>
        </div>
        <p className="text-sm break-words whitespace-pre-wrap text-muted-foreground">{eventText(event, kindOf(event.model_id))}</p>
      </div>
    </div>
  );
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
