import type { TradingEvent } from '@tradewire/contract';

/** One unnamed SSE message, so EventSource.onmessage receives it. */
export const sseFrame = (e: TradingEvent) => `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`;
