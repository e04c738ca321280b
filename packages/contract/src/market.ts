import { z } from 'zod';
import { IsoDate } from './common.js';
import { Symbol } from './models.js';

export const SymbolInfo = z.object({
  symbol: z.string(),
  name: z.string(),
  sector: z.string(),
  source: z.string(),
});
export type SymbolInfo = z.infer<typeof SymbolInfo>;

export const SymbolList = z.object({ symbols: z.array(SymbolInfo) });

export const Bar = z.object({
  date: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});
export type Bar = z.infer<typeof Bar>;

export const BarsQuery = z.strictObject({ symbol: Symbol, from: IsoDate.optional(), to: IsoDate.optional() });
export const BarsResponse = z.object({ symbol: z.string(), source: z.string(), bars: z.array(Bar) });

export const ImportResult = z.object({
  imported: z.array(z.object({ symbol: z.string(), bars: z.number().int(), from: z.string(), to: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResult>;
