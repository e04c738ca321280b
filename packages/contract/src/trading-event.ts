import { z } from 'zod';
import { EVENT_ENVELOPES } from './events.js';

/** One event on the wire: the SSE `data:` line, and a stored run event. */
export const TradingEvent = z.discriminatedUnion('type', EVENT_ENVELOPES);
export type TradingEvent = z.infer<typeof TradingEvent>;
