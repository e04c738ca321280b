import type { TradingRules } from '../domain/trading-rules.js';
import { fillOrders } from '../engine/broker.js';
import type { ExecutionRequest, ExecutionResult, PaperBroker } from './ports.js';

/**
 * The built-in paper broker: fills a step's market orders at the given prices by the model's
 * rules, slippage and commission, exactly as a backtest fills them. The run's stored book is the
 * account, so there is nothing to read back.
 */
export function builtinBroker(rules: TradingRules): PaperBroker {
  return {
    name: 'builtin',
    async execute(request: ExecutionRequest): Promise<ExecutionResult> {
      const { book, fills } = fillOrders(request.book, request.orders, { open: request.prices, allowed: request.allowed }, rules);
      return { book, fills };
    },
    account: async () => null,
  };
}
