import type { AgentKind, AgentSpec, Bar } from '@tradewire/contract';
import type { Book } from '../domain/book.js';
import type { Fill, Order } from '../domain/order.js';

/**
 * What an agent knows on trading day t, and nothing more.
 *
 * No look-ahead: `history` holds only complete bars dated strictly before t, and `open` is the
 * only price of day t. The agent's orders fill at that open (plus slippage), so it can never
 * trade at a price it could not have known. Everything is read-only: the agent cannot change
 * the engine's view of the market or the portfolio.
 */
export interface Observation {
  /** Day t, YYYY-MM-DD. */
  readonly date: string;
  /** 1-based step index within the run. */
  readonly step: number;
  /** Symbols this run may trade. */
  readonly symbols: readonly string[];
  /** Per symbol: complete bars strictly before day t, oldest first (possibly a trailing window). */
  readonly history: ReadonlyMap<string, readonly Readonly<Bar>[]>;
  /** Day t's open price, only for symbols that trade on day t. */
  readonly open: ReadonlyMap<string, number>;
  readonly cash: number;
  /** Symbol -> quantity held. */
  readonly positions: ReadonlyMap<string, number>;
  /** Cash plus every position at its latest known price. */
  readonly equity: number;
  /**
   * What these orders would fill at today, placed in this order, under the run's own rules,
   * costs and peak equity: the session will fill the same orders the same way.
   */
  preview(orders: readonly Order[]): OrderPreview;
}

/** The book after a preview's orders, and each order's fill or rejection (sells fill first). */
export interface OrderPreview {
  book: Book;
  /** In execution order: sells, then buys. */
  fills: Fill[];
  /** For each fill, the index of its order among those previewed. */
  orderIndex: number[];
}

/** Orders for day t with the why in plain English; no orders means hold. */
export interface Decision {
  orders: Order[];
  reasoning: string;
}

/**
 * A trading strategy. The engine calls `decide` once per trading day, in date order, and waits
 * for it; an agent may keep state between calls (indicators update incrementally).
 * The same sequence of observations always yields the same decisions.
 */
export interface Agent {
  decide(obs: Observation): Promise<Decision>;
}

/** The parsed params of one agent kind, as the contract's schemas produce them. */
export type AgentParams<K extends AgentKind> = Extract<AgentSpec, { kind: K }>['params'];

/** What an agent needs from the model beyond its own params. */
export interface AgentContext {
  /** Position size for a buy, in % of equity: a strategy's `position_pct`, or the rules' `max_position_pct` cap (buy-and-hold). */
  targetPct?: number;
  /** The model's costs, so a buy sized to the cash left still fits once they are paid. */
  commissionBps?: number;
  slippageBps?: number;
  /** The model's `risk.max_orders_per_step`: buy-and-hold spreads its first buys over days to stay under it. */
  maxOrdersPerStep?: number;
  /** Builds the LLM agent; the composition root supplies it because that agent needs secrets and HTTP. */
  llm?: (params: AgentParams<'llm'>) => Agent;
}
