import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_DATASET, ErrorBody, IdParam, Model, ModelCreate, ModelUpdate, page, type AgentSpec } from '@tradewire/contract';
import type { ModelRecord, ModelWrite } from '../storage/records.js';
import { UniqueViolation } from '../storage/storage.js';
import { BadRequest, Conflict, modelNotFound } from './errors.js';
import { principalOf } from './auth-guard.js';
import type { AppContext } from './context.js';

export const IdParams = z.strictObject({ id: IdParam });

/** The wire view of a model: secrets replaced by `api_key_set`. */
export function toModelView(m: ModelRecord, running: boolean): Model {
  const agent: Model['agent'] = { kind: m.agent_kind, params: m.agent_params };
  if (m.agent_kind === 'llm') agent.api_key_set = m.agent_secret !== null;
  return {
    id: m.id,
    user_id: m.user_id,
    name: m.name,
    description: m.description,
    agent,
    initial_cash: m.initial_cash,
    allowed_symbols: m.allowed_symbols,
    risk: m.risk,
    commission_bps: m.commission_bps,
    slippage_bps: m.slippage_bps,
    dataset: m.dataset,
    status: running ? 'running' : 'idle',
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}

/** Loads a model the caller may see: their own, or any for an admin; otherwise 404. */
export async function visibleModel(ctx: AppContext, principal: { userId: number; role: string }, id: number) {
  const m = await ctx.storage.models.byId(id);
  if (!m || (m.user_id !== principal.userId && principal.role !== 'admin')) throw modelNotFound(id);
  return m;
}

export const modelRoutes =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };
    // onRequest: authenticate before parsing or validating anything the caller sends.
    app.addHook('onRequest', ctx.guards.requireUser);

    const isRunning = async (id: number) => (await ctx.manager.runningModels()).has(id);

    /** Splits the write-only API key off the agent params and seals it. */
    function agentWrite(agent: AgentSpec, previous?: ModelRecord) {
      if (agent.kind !== 'llm') return { agent_kind: agent.kind, agent_params: agent.params, agent_secret: null };
      const { api_key, ...params } = agent.params;
      const kept = previous?.agent_kind === 'llm' ? previous.agent_secret : null;
      const agent_secret = api_key ? ctx.secrets.seal(api_key) : kept;
      return { agent_kind: agent.kind, agent_params: params, agent_secret };
    }

    /** The data set must exist and hold every allowed symbol. */
    async function checkMarket(dataset: string, symbols: string[]) {
      const market = await ctx.market.forDataset(dataset);
      if (!market) throw new BadRequest(`dataset: no data set named ${dataset}`);
      if (symbols.length === 0) return;
      const known = new Set((await market.symbols()).map((s) => s.symbol));
      const unknown = symbols.filter((s) => !known.has(s));
      if (unknown.length > 0) {
        const where = dataset === DEFAULT_DATASET ? '' : ` in data set ${dataset}`;
        throw new BadRequest(`allowed_symbols: unknown symbol ${unknown.join(', ')}${where}`);
      }
    }

    const save = async <T>(fn: () => Promise<T>) => {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof UniqueViolation) throw new Conflict('name: you already have a model with this name');
        throw e;
      }
    };

    r.get('/', { schema: { tags: ['models'], response: { 200: page(Model), 401: ErrorBody } } }, async (req) => {
      const running = await ctx.manager.runningModels();
      const models = await ctx.storage.models.listByUser(principalOf(req).userId);
      return { items: models.map((m) => toModelView(m, running.has(m.id))), next_cursor: null };
    });

    r.post('/', { schema: { tags: ['models'], body: ModelCreate, response: { 201: Model, ...errors } } }, async (req, reply) => {
      const b = req.body;
      await checkMarket(b.dataset, b.allowed_symbols);
      const write: ModelWrite = {
        name: b.name,
        description: b.description,
        ...agentWrite(b.agent),
        initial_cash: b.initial_cash,
        allowed_symbols: [...new Set(b.allowed_symbols)],
        risk: b.risk,
        commission_bps: b.commission_bps,
        slippage_bps: b.slippage_bps,
        dataset: b.dataset,
      };
      const m = await save(() => ctx.storage.models.create(principalOf(req).userId, write));
      return reply.status(201).send(toModelView(m, false));
    });

    r.get('/:id', { schema: { tags: ['models'], params: IdParams, response: { 200: Model, ...errors } } }, async (req) => {
      const m = await visibleModel(ctx, principalOf(req), req.params.id);
      return toModelView(m, await isRunning(m.id));
    });

    r.put(
      '/:id',
      { schema: { tags: ['models'], params: IdParams, body: ModelUpdate, response: { 200: Model, ...errors } } },
      async (req) => {
        const m = await visibleModel(ctx, principalOf(req), req.params.id);
        const b = req.body;
        if (b.allowed_symbols || b.dataset) await checkMarket(b.dataset ?? m.dataset, b.allowed_symbols ?? m.allowed_symbols);
        const agent = b.agent ? agentWrite(b.agent, m) : {};
        const write: ModelWrite = {
          name: b.name ?? m.name,
          description: b.description ?? m.description,
          agent_kind: m.agent_kind,
          agent_params: m.agent_params,
          agent_secret: m.agent_secret,
          ...agent,
          initial_cash: b.initial_cash ?? m.initial_cash,
          allowed_symbols: b.allowed_symbols ? [...new Set(b.allowed_symbols)] : m.allowed_symbols,
          risk: { ...m.risk, ...b.risk },
          commission_bps: b.commission_bps ?? m.commission_bps,
          slippage_bps: b.slippage_bps ?? m.slippage_bps,
          dataset: b.dataset ?? m.dataset,
        };
        const updated = await save(() => ctx.storage.models.update(m.id, write));
        return toModelView(updated, await isRunning(m.id));
      },
    );

    r.delete('/:id', { schema: { tags: ['models'], params: IdParams } }, async (req, reply) => {
      const m = await visibleModel(ctx, principalOf(req), req.params.id);
      await ctx.manager.deleteModel(m.id);
      return reply.status(204).send();
    });
  };
