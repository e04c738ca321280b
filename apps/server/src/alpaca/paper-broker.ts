// The user's Alpaca paper account as a live session's broker: a step's market orders are placed
// there (sized by the model's rules first), their fills read back, and the run's book becomes the
// account's cash and positions. Only the paper host is ever called (hosts.ts). Each order carries
// a client order id derived from the step's key and its index, and Alpaca refuses a second order
// with an id it has seen: re-sending a step, after a lost answer or a restart, finds the orders
// already placed instead of placing them again.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, FetchError, trading } from '@alpacahq/alpaca-trade-api';
import { type Book, type Holding, equityOf } from '../domain/book.js';
import { toCents, toPrice } from '../domain/money.js';
import type { Fill, Order } from '../domain/order.js';
import type { TradingRules } from '../domain/trading-rules.js';
import { fillOrders } from '../engine/broker.js';
import type { BrokerAccount, ExecutionRequest, ExecutionResult, PaperBroker } from '../live/ports.js';
import { AlpacaError, alpacaError, alpacaMessage } from './errors.js';
import { type HostPolicy, paperBaseUrl } from './hosts.js';

export interface AlpacaPaperBrokerOptions extends HostPolicy {
  /** Alpaca's paper API (`https://paper-api.alpaca.markets`); anything else is refused (see paperBaseUrl). */
  baseUrl: string;
  keyId: string;
  secretKey: string;
  /** The model's rules: orders are sized and checked by them (as the built-in broker does) before they are placed. */
  rules: TradingRules;
  /** How long a placed order may take to fill before what is left of it is cancelled (default 30 s). */
  fillTimeoutMs?: number;
  /** Pause between two reads of an unfilled order (default 500 ms). */
  pollMs?: number;
  /** Retries of a call that failed for a reason that may pass (429, 5xx, network), doubling `backoffMs` each time. */
  retries?: number;
  backoffMs?: number;
  /** Per-request deadline (default 15 s). */
  timeoutMs?: number;
}

/** Order states after which nothing more fills. */
const FINAL = new Set(['filled', 'canceled', 'expired', 'rejected', 'done_for_day', 'replaced', 'stopped', 'suspended']);

/** An order's client order id: unique per run step and order, at most Alpaca's 128 characters. */
export function clientOrderIdOf(stepKey: string, index: number): string {
  const key = /^[\w.:-]{1,100}$/.test(stepKey) ? stepKey : createHash('sha256').update(stepKey).digest('hex').slice(0, 40);
  return `tw-${key}-${index}`;
}

/** Alpaca's order as it stands after it was placed (or found placed), or why it was refused. */
type Placement = { order: trading.Order } | { refused: string };

export class AlpacaPaperBroker implements PaperBroker {
  readonly name = 'alpaca';
  private readonly orders: trading.OrdersApi;
  private readonly accounts: trading.AccountsApi;
  private readonly positions: trading.PositionsApi;
  private readonly fillTimeoutMs: number;
  private readonly pollMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly opts: AlpacaPaperBrokerOptions) {
    const basePath = paperBaseUrl(opts.baseUrl, opts);
    this.fillTimeoutMs = opts.fillTimeoutMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 500;
    this.retries = opts.retries ?? 3;
    this.backoffMs = opts.backoffMs ?? 500;
    const config = new trading.Configuration({
      basePath,
      keyId: opts.keyId,
      secret: opts.secretKey,
      timeoutMs: opts.timeoutMs ?? 15_000,
      // Reads are retried by the client (429, 5xx, network; Retry-After honoured); placements never are: see place().
      retry: { maxRetries: this.retries, retryDelayMs: this.backoffMs, maxDelayMs: this.backoffMs * 16 },
      redirect: 'error',
    });
    this.orders = new trading.OrdersApi(config);
    this.accounts = new trading.AccountsApi(config);
    this.positions = new trading.PositionsApi(config);
  }

  /** Checks the keys against the account: its number and status, or an AlpacaError saying what is wrong. */
  async verify(signal?: AbortSignal): Promise<{ accountNumber: string; status: string; cash: number }> {
    const a = await this.call('reading the account', () => this.accounts.getAccount({ signal }));
    return { accountNumber: a.accountNumber ?? '', status: String(a.status), cash: toCents(Number(a.cash ?? 0)) };
  }

  async account(signal?: AbortSignal): Promise<BrokerAccount> {
    const [a, positions] = await Promise.all([
      this.call('reading the account', () => this.accounts.getAccount({ signal })),
      this.call('reading the positions', () => this.positions.getAllOpenPositions({ signal })),
    ]);
    const cash = Number(a.cash);
    if (!Number.isFinite(cash)) throw new AlpacaError('server', `Alpaca's account has no readable cash (${JSON.stringify(a.cash)})`);
    return {
      cash: toCents(cash),
      positions: positions
        .map((p) => ({ symbol: p.symbol, quantity: Number(p.qty), avgCost: toPrice(Number(p.avgEntryPrice)) }))
        .filter((p) => Number.isFinite(p.quantity) && p.quantity !== 0)
        .sort((x, y) => x.symbol.localeCompare(y.symbol)),
    };
  }

  async execute(request: ExecutionRequest, signal?: AbortSignal): Promise<ExecutionResult> {
    const { orders, book, prices, allowed, stepKey } = request;
    // The model's rules first, exactly as the built-in broker applies them: what they refuse is never sent.
    const plan = fillOrders(book, orders, { open: prices, allowed }, this.opts.rules);
    const fills: Fill[] = [];
    let cash = book.cash;
    for (const [i, planned] of plan.fills.entries()) {
      const index = plan.orderIndex[i]!;
      const order = orders[index]!;
      if (planned.status === 'rejected') {
        fills.push({ ...planned, cash_after: cash });
        continue;
      }
      const fill = await this.fillOne(order, planned.quantity, clientOrderIdOf(stepKey, index), prices.get(order.symbol) ?? 0, cash, signal);
      cash = fill.cash_after;
      fills.push(fill);
    }
    const account = await this.account(signal);
    return { fills, book: bookOf(account, book.peakEquity, prices) };
  }

  /** Places one order of `quantity` shares (the rules may have cut it), waits for its fill, and says what came of it. */
  private async fillOne(order: Order, quantity: number, clientOrderId: string, price: number, cash: number, signal?: AbortSignal): Promise<Fill> {
    const rejected = (note: string): Fill => ({
      action: order.side,
      symbol: order.symbol,
      quantity: order.quantity,
      price,
      amount: 0,
      commission: 0,
      cash_after: cash,
      status: 'rejected',
      reason: because(order.reason, note),
    });
    const placement = await this.place(order, quantity, clientOrderId, signal);
    if ('refused' in placement) return rejected(`Alpaca rejected the order: ${placement.refused}`);
    const final = await this.settle(placement.order, signal);
    const filled = Number(final.filledQty ?? 0);
    const avg = Number(final.filledAvgPrice ?? NaN);
    if (!(filled > 0) || !Number.isFinite(avg)) {
      if (final.status === 'rejected') return rejected('Alpaca rejected the order');
      return rejected(`not filled on Alpaca within ${this.fillTimeoutMs / 1000} s (${final.status}); the order was cancelled`);
    }
    const fillPrice = toPrice(avg);
    const amount = toCents(filled * fillPrice);
    const notes = [
      quantity < order.quantity ? `reduced from ${order.quantity} to ${quantity} by the model's rules` : null,
      filled < quantity ? `${filled} of ${quantity} filled on Alpaca within ${this.fillTimeoutMs / 1000} s; the rest was cancelled` : null,
    ];
    return {
      action: order.side,
      symbol: order.symbol,
      quantity: filled,
      price: fillPrice,
      amount,
      commission: 0,
      cash_after: toCents(order.side === 'buy' ? cash - amount : cash + amount),
      status: 'filled',
      reason: because(order.reason, notes.filter(Boolean).join('; ') || null),
    };
  }

  /**
   * Places a market order once. When the answer is lost or an error may pass, it first looks the
   * client order id up (the order may have been placed) and only then sends it again; sending it
   * again is safe since Alpaca refuses a second order with the same id, which again is looked up.
   */
  private async place(order: Order, quantity: number, clientOrderId: string, signal?: AbortSignal): Promise<Placement> {
    const what = `placing ${order.side} ${quantity} ${order.symbol}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const placed = await this.orders.postOrder(
          { postOrderRequest: { symbol: order.symbol, qty: String(quantity), side: order.side, type: 'market', timeInForce: 'day', clientOrderId } },
          { signal },
        );
        return { order: placed };
      } catch (e) {
        if (signal?.aborted) throw alpacaError(e, what);
        if (e instanceof ApiError && e.status === 401) throw alpacaError(e, what);
        if (!(e instanceof ApiError) && !(e instanceof FetchError)) throw e;
        const found = await this.find(clientOrderId, signal);
        if (found) return { order: found };
        const passing = e instanceof FetchError || e.status === 429 || e.status >= 500;
        if (e instanceof ApiError && !passing) {
          // Alpaca says the id was used, yet the order cannot be read: not known to be placed or not, so the step must be retried.
          if (/client_order_id/i.test(e.message)) throw new AlpacaError('server', `Alpaca has an order ${clientOrderId} it cannot show yet`, e.status);
          return { refused: alpacaMessage(e) ?? `HTTP ${e.status}` };
        }
        if (attempt >= this.retries) throw alpacaError(e, what);
        const retryAfter = e instanceof ApiError ? e.retryAfterMs : undefined;
        await sleep(retryAfter ?? this.backoffMs * 2 ** attempt, undefined, { signal });
      }
    }
  }

  /** The order placed with `clientOrderId`, or null when Alpaca has none. */
  private async find(clientOrderId: string, signal?: AbortSignal): Promise<trading.Order | null> {
    try {
      return await this.orders.getOrderByClientOrderId({ clientOrderId }, { signal });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw alpacaError(e, `looking up order ${clientOrderId}`);
    }
  }

  /** Reads the order until nothing more can fill; after the fill timeout, cancels the rest and reads what stands. */
  private async settle(order: trading.Order, signal?: AbortSignal): Promise<trading.Order> {
    const id = order.id!;
    const read = () => this.call(`reading order ${order.clientOrderId}`, () => this.orders.getOrderByOrderID({ orderId: id }, { signal }));
    const deadline = Date.now() + this.fillTimeoutMs;
    let o = order;
    while (!FINAL.has(String(o.status)) && Date.now() < deadline) {
      await sleep(this.pollMs, undefined, { signal });
      o = await read();
    }
    if (FINAL.has(String(o.status))) return o;
    try {
      await this.orders.deleteOrderByOrderID({ orderId: id }, { signal });
    } catch (e) {
      // 422: it reached a final state meanwhile (filled, most likely); read it below.
      if (!(e instanceof ApiError && e.status === 422)) throw alpacaError(e, `cancelling order ${order.clientOrderId}`);
    }
    for (let i = 0; i < 20; i++) {
      o = await read();
      if (FINAL.has(String(o.status))) return o;
      await sleep(this.pollMs, undefined, { signal });
    }
    return o;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw alpacaError(e, what);
    }
  }
}

/** A run's book as the account holds it; the peak carries on from the run's. */
export function bookOf(account: BrokerAccount, peakEquity: number, prices: ReadonlyMap<string, number>): Book {
  const holdings = new Map<string, Holding>(account.positions.map((p) => [p.symbol, { quantity: p.quantity, avgCost: p.avgCost }]));
  const book = { cash: account.cash, holdings };
  return { ...book, peakEquity: Math.max(peakEquity, equityOf(book, prices)) };
}

/** A fill's reason: the agent's, then what the broker noted. */
function because(reason: string | undefined, note: string | null): string | null {
  return [reason, note].filter((part) => part).join('; ') || null;
}

/** Where the run's book and the account disagree. */
export interface Difference {
  /** Null for cash. */
  symbol: string | null;
  field: 'cash' | 'quantity' | 'avg_cost';
  ours: number;
  alpaca: number;
  /** One line for a person: `AAPL: the run holds 10 shares, Alpaca 8`. */
  message: string;
}

/**
 * Compares the run's book with the account: cash (to the cent), and per symbol the shares held and
 * their average cost (to `priceTolerance`). No differences: the book and the account agree.
 */
export function reconcile(book: Pick<Book, 'cash' | 'holdings'>, account: BrokerAccount, priceTolerance = 0.01): Difference[] {
  const out: Difference[] = [];
  if (Math.abs(toCents(book.cash - account.cash)) >= 0.01) {
    out.push({ symbol: null, field: 'cash', ours: book.cash, alpaca: account.cash, message: `cash: the run has ${book.cash.toFixed(2)}, Alpaca ${account.cash.toFixed(2)}` });
  }
  const theirs = new Map(account.positions.map((p) => [p.symbol, p]));
  const symbols = [...new Set([...book.holdings.keys(), ...theirs.keys()])].sort();
  for (const symbol of symbols) {
    const ours = book.holdings.get(symbol);
    const alpaca = theirs.get(symbol);
    const q = ours?.quantity ?? 0;
    const aq = alpaca?.quantity ?? 0;
    if (q !== aq) {
      out.push({ symbol, field: 'quantity', ours: q, alpaca: aq, message: `${symbol}: the run holds ${q} shares, Alpaca ${aq}` });
    } else if (ours && alpaca && Math.abs(ours.avgCost - alpaca.avgCost) > priceTolerance) {
      out.push({ symbol, field: 'avg_cost', ours: ours.avgCost, alpaca: alpaca.avgCost, message: `${symbol}: average cost ${ours.avgCost} in the run, ${alpaca.avgCost} at Alpaca` });
    }
  }
  return out;
}
