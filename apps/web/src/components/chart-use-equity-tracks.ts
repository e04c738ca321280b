import { useEffect, useRef, useState } from 'react';
import { useQueries } from '@tanstack/react-query';
import { useModels } from '../api/models';
import { performanceQuery } from '../api/trading';
import { useStreamBatches, useWatch } from '../stream/hooks';
import { appendDailyEquity, type EquityTracks, ReturnColumns } from './chart-equity-tracks';

/** How often the live chart redraws at most, however fast events arrive. */
export const LIVE_CHART_INTERVAL_MS = 1000;

/**
 * Every model's return since its run's start, as the tab's stream reports it. Events go into one
 * bounded column store as they arrive; `version` moves at most once per interval, when it changed.
 */
export function useReturnColumns(): { columns: ReturnColumns; version: number } {
  useWatch('all');
  const [columns] = useState(() => new ReturnColumns());
  const [version, setVersion] = useState(0);
  const dirty = useRef(false);
  useStreamBatches((batch) => {
    if (columns.add(batch.events)) dirty.current = true;
  });
  // History first: each model's current or last run as stored (the same queries as the cards'
  // sparklines), then the stream's tail on top.
  const models = useModels();
  const curves = useQueries({ queries: (models.data ?? []).map((m) => performanceQuery(m.id)) });
  const seeded = useRef(new Map<number, string>());
  useEffect(() => {
    (models.data ?? []).forEach((m, i) => {
      const perf = curves[i]?.data;
      if (!perf || perf.run_id === null) return;
      const key = `${perf.run_id}:${perf.equity_curve.length}`;
      if (seeded.current.get(m.id) === key) return;
      seeded.current.set(m.id, key);
      const returns = perf.equity_curve.map((p) => Math.round((p.equity / m.initial_cash - 1) * 1e6) / 1e4);
      if (columns.seed(m.id, perf.run_id, returns)) dirty.current = true;
    });
  });
  useEffect(() => {
    const timer = setInterval(() => {
      if (!dirty.current) return;
      dirty.current = false;
      setVersion((v) => v + 1);
    }, LIVE_CHART_INTERVAL_MS);
    return () => clearInterval(timer);
  }, []);
  return { columns, version };
}

const NO_TRACKS: EquityTracks = new Map();

/** Every model's daily equity as it arrives on the tab's stream, updated once per delivery (the arena's ranking). */
export function useEquityTracks(): EquityTracks {
  useWatch('all');
  const [tracks, setTracks] = useState(NO_TRACKS);
  useStreamBatches((batch) => setTracks((t) => appendDailyEquity(t, batch.events)));
  return tracks;
}
