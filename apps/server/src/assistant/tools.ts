import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { RunRecord, TradeRecord } from '../storage/records.js';
import type { RunData } from './run-data.js';

/** Most rows one tool answer lists: keeps each answer, and the prompt it joins, small. */
export const MAX_ROWS = 200;
/** Most equity points one answer holds; a longer slice is sampled evenly (its first and last point kept). */
export const MAX_EQUITY_POINTS = 250;

/** Who asks and about what: the conversation's run (null for a model-wide one) and model. */
export interface ToolScope {
  data: RunData;
  modelId: number;
  /** The run tools read when the model names none. */
  defaultRunId: number | null;
}

interface Tool<S extends z.ZodType> {
  description: string;
  args: S;
  run(scope: ToolScope, args: z.output<S>): Promise<unknown>;
}
const tool = <S extends z.ZodType>(t: Tool<S>) => t;

const RunId = z.number().int().positive().optional().describe("A run id (the `id` from list_runs); the conversation's run when omitted");
const Day = z.iso.date();
const DateRange = { from: Day.optional().describe('First day, YYYY-MM-DD (inclusive)'), to: Day.optional().describe('Last day, YYYY-MM-DD (inclusive)') };

const notFound = (runId: number | null) => ({ error: runId === null ? 'no run: name one with run_id (see list_runs)' : `run ${runId} not found` });

/** The run a tool reads, or the error the model is told: unknown and other users' runs alike. */
async function runOf(scope: ToolScope, runId: number | undefined) {
  const id = runId ?? scope.defaultRunId;
  const found = id === null ? null : await scope.data.run(id);
  return found ?? notFound(id);
}

const inRange = (date: string, from?: string, to?: string) => (!from || date >= from) && (!to || date <= to);

/** A trade as the model reads it: the id is what it cites. */
const tradeView = (t: TradeRecord) => ({
  id: t.id,
  date: t.date,
  action: t.action,
  symbol: t.symbol,
  quantity: t.quantity,
  price: t.price,
  amount: t.amount,
  commission: t.commission,
  cash_after: t.cash_after,
  status: t.status,
  reason: t.reason,
});

const runSummary = (run: RunRecord) => ({
  id: run.id,
  run_number: run.run_number,
  model_id: run.model_id,
  status: run.status,
  start_date: run.start_date,
  end_date: run.end_date,
  last_date: run.last_date,
  initial_cash: run.config.initial_cash ?? run.cash,
  symbols: run.config.symbols,
  agent: run.config.agent?.kind ?? null,
  error: run.error,
  trade_count: run.trade_count,
  metrics: run.metrics,
});

/** `list` cut to `max` rows, saying how many there were. */
function capped<T>(list: T[], max = MAX_ROWS) {
  return list.length <= max ? { total: list.length, rows: list } : { total: list.length, rows: list.slice(0, max), note: `only the first ${max} of ${list.length} rows; narrow the dates` };
}

function sampled<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

/** Each tool's arguments are parsed at the edge, like every input; results are plain JSON. */
const TOOLS: Record<string, Tool<z.ZodType>> = {
  list_runs: tool({
    description: "The runs of a model of the user (the conversation's model when omitted), newest first, with their metrics.",
    args: z.object({ model_id: z.number().int().positive().optional() }),
    run: async (scope, { model_id }) => {
      const model = await scope.data.model(model_id ?? scope.modelId);
      if (!model) return { error: `model ${model_id} not found` };
      const runs = await scope.data.runs(model.id);
      return { model: { id: model.id, name: model.name }, runs: runs.slice(0, 50).map(runSummary) };
    },
  }),
  get_metrics: tool({
    description: 'A run: status, dates, initial cash, symbols, agent, trade count and final metrics (returns and drawdown in %).',
    args: z.object({ run_id: RunId }),
    run: async (scope, { run_id }) => {
      const r = await runOf(scope, run_id);
      return 'error' in r ? r : { model: { id: r.model.id, name: r.model.name }, run: runSummary(r.run) };
    },
  }),
  get_equity_curve: tool({
    description: 'Equity and cash at the end of each day of a run between two dates, with the slice\'s high, low and change.',
    args: z.object({ run_id: RunId, ...DateRange }),
    run: async (scope, { run_id, from, to }) => {
      const r = await runOf(scope, run_id);
      if ('error' in r) return r;
      const points = (await scope.data.equityCurve(r.run)).filter((p) => inRange(p.date, from, to)).map(({ date, equity, cash }) => ({ date, equity, cash }));
      if (points.length === 0) return { points: [] };
      const high = points.reduce((a, b) => (b.equity > a.equity ? b : a));
      const low = points.reduce((a, b) => (b.equity < a.equity ? b : a));
      const first = points[0]!;
      const last = points.at(-1)!;
      return {
        first,
        last,
        change_pct: Math.round((last.equity / first.equity - 1) * 1e4) / 100,
        high,
        low,
        points: sampled(points, MAX_EQUITY_POINTS),
        ...(points.length > MAX_EQUITY_POINTS ? { note: `${points.length} days sampled to ${MAX_EQUITY_POINTS}` } : {}),
      };
    },
  }),
  list_trades: tool({
    description: 'Orders of a run (fills and rejections, each with its id and reason), oldest first, optionally between dates or for one symbol.',
    args: z.object({
      run_id: RunId,
      ...DateRange,
      symbol: z.string().trim().toUpperCase().optional(),
      status: z.enum(['filled', 'rejected']).optional(),
    }),
    run: async (scope, { run_id, from, to, symbol, status }) => {
      const r = await runOf(scope, run_id);
      if ('error' in r) return r;
      const fills = (await scope.data.fills(r.run)).filter(
        (t) => t.action !== 'hold' && inRange(t.date, from, to) && (!symbol || t.symbol === symbol) && (!status || t.status === status),
      );
      return capped(fills.map(tradeView));
    },
  }),
  get_round_trips: tool({
    description:
      'Closed round trips of a run (FIFO: entry, exit, P/L, holding days, reasons) with the ids of their entry and exit trades, sorted by P/L or date; and the lots still open.',
    args: z.object({
      run_id: RunId,
      sort: z.enum(['pnl_asc', 'pnl_desc', 'date']).default('date').describe('pnl_asc: worst first; pnl_desc: best first'),
      limit: z.number().int().min(1).max(MAX_ROWS).default(50),
    }),
    run: async (scope, { run_id, sort, limit }) => {
      const r = await runOf(scope, run_id);
      if ('error' in r) return r;
      const [trips, fills] = await Promise.all([scope.data.roundTrips(r.run), scope.data.fills(r.run)]);
      const filled = fills.filter((t) => t.status === 'filled');
      const idOf = (symbol: string, date: string, action: 'buy' | 'sell') => filled.find((t) => t.symbol === symbol && t.date === date && t.action === action)?.id ?? null;
      const rows = trips.round_trips.map((t) => ({
        ...t,
        entry_trade_id: idOf(t.symbol, t.entry_date, t.quantity >= 0 ? 'buy' : 'sell'),
        exit_trade_id: idOf(t.symbol, t.exit_date, t.quantity >= 0 ? 'sell' : 'buy'),
      }));
      if (sort === 'pnl_asc') rows.sort((a, b) => a.pnl - b.pnl);
      else if (sort === 'pnl_desc') rows.sort((a, b) => b.pnl - a.pnl);
      const total_pnl = Math.round(rows.reduce((sum, t) => sum + t.pnl, 0) * 100) / 100;
      return { count: rows.length, total_pnl, round_trips: rows.slice(0, limit), open_positions: trips.open_positions.slice(0, MAX_ROWS) };
    },
  }),
  get_decision_log: tool({
    description:
      "The agent's decisions between two dates: every order with its reason, the days it held with its reasoning, and its log lines for those days (an LLM agent's calls with its reasoning).",
    args: z.object({ run_id: RunId, from: Day.describe('First day, YYYY-MM-DD'), to: Day.describe('Last day, YYYY-MM-DD') }),
    run: async (scope, { run_id, from, to }) => {
      const r = await runOf(scope, run_id);
      if ('error' in r) return r;
      const [fills, holds, logs] = await Promise.all([scope.data.fills(r.run), scope.data.decisions(r.run, from, to, MAX_ROWS), scope.data.dayLogs(r.run, from, to, MAX_ROWS)]);
      const orders = fills.filter((t) => t.action !== 'hold' && inRange(t.date, from, to)).map(tradeView);
      return { orders: capped(orders), holds: capped(holds), logs: capped(logs) };
    },
  }),
  get_positions_on: tool({
    description: 'What a run held at the end of one day (from its fills): quantity and average cost per symbol, with that day\'s cash and equity.',
    args: z.object({ run_id: RunId, date: Day }),
    run: async (scope, { run_id, date }) => {
      const r = await runOf(scope, run_id);
      if ('error' in r) return r;
      const held = new Map<string, { quantity: number; cost: number }>();
      for (const t of await scope.data.fills(r.run)) {
        if (t.date > date || t.status !== 'filled' || !t.symbol || t.action === 'hold') continue;
        const p = held.get(t.symbol) ?? { quantity: 0, cost: 0 };
        if (t.action === 'buy') held.set(t.symbol, { quantity: p.quantity + t.quantity, cost: p.cost + t.quantity * t.price });
        else held.set(t.symbol, { quantity: p.quantity - t.quantity, cost: p.quantity > 0 ? (p.cost * (p.quantity - t.quantity)) / p.quantity : 0 });
      }
      const point = (await scope.data.equityCurve(r.run)).filter((p) => p.date <= date).at(-1) ?? null;
      const positions = [...held].filter(([, p]) => Math.abs(p.quantity) > 1e-9).map(([symbol, p]) => ({ symbol, quantity: p.quantity, avg_cost: Math.round((p.cost / p.quantity) * 1e4) / 1e4 }));
      return { date, equity: point?.equity ?? null, cash: point?.cash ?? null, positions };
    },
  }),
  get_bars: tool({
    description: 'Daily OHLCV bars of one symbol the run traded, from the run\'s own market data, between two dates.',
    args: z.object({ run_id: RunId, symbol: z.string().trim().toUpperCase(), from: Day, to: Day }),
    run: async (scope, { run_id, symbol, from, to }) => {
      const r = await runOf(scope, run_id);
      if ('error' in r) return r;
      if (!r.run.config.symbols.includes(symbol)) return { error: `symbol ${symbol} is not traded by run ${r.run.id}; its symbols: ${r.run.config.symbols.join(', ')}` };
      const bars = await scope.data.bars(r.run, symbol, from, to);
      return bars === null ? { error: `the data set of run ${r.run.id} no longer exists` } : capped(bars.map(({ date, open, high, low, close, volume }) => ({ date, open, high, low, close, volume })));
    },
  }),
  compare_runs: tool({
    description: "Another run of the user's side by side with this one: both runs' metrics and the difference in total return.",
    args: z.object({ other_run_id: z.number().int().positive().describe('The id of the run to compare with (see list_runs)'), run_id: RunId }),
    run: async (scope, { other_run_id, run_id }) => {
      const [a, b] = await Promise.all([runOf(scope, run_id), runOf(scope, other_run_id)]);
      if ('error' in a) return a;
      if ('error' in b) return b;
      const ret = (x: RunRecord) => x.metrics?.total_return_pct ?? null;
      const diff = ret(a.run) !== null && ret(b.run) !== null ? Math.round((ret(a.run)! - ret(b.run)!) * 100) / 100 : null;
      return { this_run: runSummary(a.run), other_run: { model_name: b.model.name, ...runSummary(b.run) }, total_return_difference_pct: diff };
    },
  }),
};

/** The tool list in the chat completions format, from the same schemas that parse the calls. */
export const assistantTools: ChatCompletionTool[] = Object.entries(TOOLS).map(([name, t]) => {
  const { $schema: _, ...parameters } = z.toJSONSchema(t.args, { io: 'input' });
  return { type: 'function', function: { name, description: t.description, parameters } };
});

/** Runs one tool call; bad JSON, bad arguments or an unknown tool become an error the model can read. */
export async function runAssistantTool(scope: ToolScope, name: string, rawArgs: string): Promise<unknown> {
  const t = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
  if (!t) return { error: `unknown tool "${name}"; use one of ${Object.keys(TOOLS).join(', ')}` };
  let json: unknown;
  try {
    json = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
  } catch {
    return { error: `arguments are not valid JSON: ${rawArgs.slice(0, 200)}` };
  }
  const parsed = t.args.safeParse(json);
  if (!parsed.success) return { error: `invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}` };
  return t.run(scope, parsed.data);
}
