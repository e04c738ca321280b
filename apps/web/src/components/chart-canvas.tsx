import { useEffect, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Axis colours and fonts shared by the line charts, on the dark theme. */
export const AXIS = { stroke: '#a3a3a3', font: '11px ui-sans-serif, system-ui, sans-serif', grid: { stroke: '#262626', width: 1 }, ticks: { show: false } } as const;

/** Width a y axis needs for its longest label (about 6.5 px a character at 11 px), so none is clipped. */
export const yAxisSize = (_u: uPlot, values: string[] | null) => 14 + 6.5 * Math.max(4, ...(values ?? []).map((v) => v.length));

/**
 * A uPlot canvas that fills its box: built once per `options`, redrawn when `data` or `version`
 * changes (the live chart keeps the same arrays and moves `version`), resized with its box.
 */
export function CanvasChart({
  options,
  data,
  version = 0,
  height,
  label,
  onCursor,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  version?: number;
  height: number;
  /** The chart's accessible name. */
  label: string;
  /** Text describing the point under the cursor (null: none); shown above the chart. */
  onCursor?: (index: number | null) => string | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLParagraphElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, onCursor });
  useEffect(() => {
    latest.current = { data, onCursor };
  });

  useEffect(() => {
    const el = box.current!;
    const setCursor = (u: uPlot) => {
      const text = latest.current.onCursor?.(u.cursor.idx ?? null) ?? null;
      if (readout.current) readout.current.textContent = text ?? '';
    };
    const u = new uPlot(
      { ...options, width: Math.max(100, el.clientWidth), height, hooks: { ...options.hooks, setCursor: [...(options.hooks?.setCursor ?? []), setCursor] } },
      latest.current.data,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(([entry]) => entry && u.setSize({ width: Math.max(100, Math.floor(entry.contentRect.width)), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data, version]);

  return (
    <div className="relative w-full min-w-0">
      {onCursor && <p ref={readout} className="pointer-events-none absolute top-0 right-2 z-10 text-xs text-muted-foreground tabular" aria-hidden />}
      <div ref={box} role="img" aria-label={label} style={{ height }} className="w-full min-w-0 overflow-hidden" data-testid="chart-canvas" />
    </div>
  );
}

/**
 * The text alternative of a chart: a "Show data" disclosure whose table is built only while open.
 */
export function ChartDataTable({ caption, head, rows, testId }: { caption: string; head: string[]; rows: () => ReactNode[][]; testId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="text-xs text-muted-foreground" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid={testId}>
      <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-md px-1 hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
        Show data
      </summary>
      {open && (
        <div className="max-h-64 overflow-auto rounded-md border border-border" tabIndex={0} role="region" aria-label={caption}>
          <table className="w-full text-left tabular">
            <caption className="sr-only">{caption}</caption>
            <thead className="sticky top-0 bg-card">
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col" className="px-2 py-1 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows().map((cells, i) => (
                <tr key={i} className="border-t border-border">
                  {cells.map((c, j) => (
                    <td key={j} className="px-2 py-1">
                      {c}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
