import type { Dataset } from '@tradewire/contract';
import { fmt, formatDateRange } from './format';

/** "yahoo (12 symbols, adjusted, Jan 4, 2016 – Nov 20, 2026)": what a data set holds, in one line. */
export function datasetLabel(d: Dataset): string {
  const span = d.first && d.last ? `, ${formatDateRange(d.first, d.last)}` : '';
  return `${d.name} (${fmt.count(d.symbols)} symbol${d.symbols === 1 ? '' : 's'}${d.adjusted ? ', adjusted' : ''}${span})`;
}
