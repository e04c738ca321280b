import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BACKTEST_LIMITS, BacktestBody, BacktestResult, ErrorBody } from '@tradewire/contract';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody };

/** POST /api/backtests: a strategy backtested at once, before (or without) saving it as a model. */
export const backtestRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', ctx.guards.requireUser);

    r.post(
      '/backtests',
      {
        schema: {
          tags: ['trading'],
          summary: 'Backtest a strategy now, without saving it',
          description:
            'Plays the agent (a rule document, or any built-in kind; not `llm`) over the range at pace 0 in memory and answers with its ' +
            'metrics, equity curve, buy-and-hold benchmark and round trips. Nothing is stored. The body is a model as `POST /api/models` ' +
            `takes it, without name and description, plus \`start_date\`, \`end_date\` (default: the last year) and \`benchmark\`. At most ` +
            `${BACKTEST_LIMITS.maxSymbols} symbols and ${BACKTEST_LIMITS.maxTradingDays} trading days (400 \`backtest_too_large\`); ` +
            `at most ${BACKTEST_LIMITS.maxConcurrentPerUser} backtests per user and ${BACKTEST_LIMITS.maxConcurrentPerNode} per server at once ` +
            '(429 `too_many_backtests`).',
          body: BacktestBody,
          response: { 200: BacktestResult, ...errors },
        },
      },
      async (req, reply) => {
        // A client that goes away stops its backtest after the current day.
        const gone = new AbortController();
        const onClose = () => {
          if (!reply.raw.writableFinished) gone.abort();
        };
        reply.raw.on('close', onClose);
        try {
          return await ctx.backtests.run(principalOf(req), req.body, gone.signal);
        } finally {
          reply.raw.off('close', onClose);
        }
      },
    );
  };
