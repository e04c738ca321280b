import { isoMicros } from '../events/codec.js';
import type { EventBus } from '../events/event-bus.js';
import type { RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { localStore } from './session-store.js';

/**
 * Ends a run that no session will finish any more (its process died, it could not be queued)
 * with a final `complete` event, once: when several nodes try, only the one whose end was
 * written tells it. Returns whether this call closed it.
 */
export async function closeRun(
  deps: { storage: Storage; bus: EventBus },
  run: RunRecord,
  status: 'interrupted' | 'failed' | 'stopped',
  why: string,
): Promise<boolean> {
  const error = status === 'stopped' ? null : why;
  const { storage } = deps;
  // A distinct end time marks whose write it was.
  const ended_at = isoMicros(Date.now() * 1000 + Math.floor(Math.random() * 1000));
  await storage.runs.finish(run.id, { status, ended_at, error, metrics: null, usage: null });
  if ((await storage.runs.byId(run.id))?.ended_at !== ended_at) return false;
  const model = await storage.models.byId(run.model_id);
  if (!model) return true;
  const complete = { type: 'complete' as const, data: { message: `Run #${run.run_number} ${status}: ${why}`, status, metrics: null } };
  await localStore(deps).emit([{ ...complete, model_id: model.id, user_id: model.user_id, run_id: run.id }]);
  return true;
}
