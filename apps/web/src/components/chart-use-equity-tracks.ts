import { useState } from 'react';
import { useStreamBatches, useWatch } from '../stream/hooks';
import { appendDailyEquity, type EquityTracks } from './chart-equity-tracks';

const EMPTY: EquityTracks = new Map();

/** Every model's daily equity as it arrives on the tab's stream, updated once per delivery. */
export function useEquityTracks(): EquityTracks {
  useWatch('all');
  const [tracks, setTracks] = useState(EMPTY);
  useStreamBatches((batch) => setTracks((t) => appendDailyEquity(t, batch.events)));
  return tracks;
}
