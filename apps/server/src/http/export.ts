import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { TradingEvent } from '@tradewire/contract';
import { eventsCsv } from './events-csv.js';

async function* csvChunks(batches: AsyncIterable<TradingEvent[]>): AsyncGenerator<string> {
  yield eventsCsv([]);
  for await (const batch of batches) yield eventsCsv(batch, { header: false });
}

/** The export's JSON shape, `{items, next_cursor: null}`, written batch by batch. */
async function* jsonChunks(batches: AsyncIterable<TradingEvent[]>): AsyncGenerator<string> {
  yield '{"items":[';
  let first = true;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    yield (first ? '' : ',') + batch.map((e) => JSON.stringify(e)).join(',');
    first = false;
  }
  yield '],"next_cursor":null}';
}

/** Sends events as a CSV or JSON attachment, streamed batch by batch: memory stays bounded. */
export function sendEventsExport(reply: FastifyReply, batches: AsyncIterable<TradingEvent[]>, format: 'csv' | 'json', name: string) {
  const body = Readable.from(format === 'csv' ? csvChunks(batches) : jsonChunks(batches));
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${name}.${format}"`)
    .send(body);
}
