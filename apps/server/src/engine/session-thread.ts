import { parentPort, workerData } from 'node:worker_threads';
import type { RunStatus } from '@tradewire/contract';
import { SecretBox } from '../auth/secret-box.js';
import { agentFactory } from '../services/agent-factory.js';
import { RunClosed } from '../storage/storage.js';
import { Session } from './session.js';
import type { SessionStore } from './session-store.js';
import { type FromThread, type ThreadAgents, type ToThread, unpackPlan } from './session-threads.js';

/**
 * An engine thread (see SessionThreads): plays the sessions it is given with the agents the API
 * process would build, and carries every store call back to that process.
 */
const port = parentPort!;
const config = workerData as ThreadAgents;
const agents = agentFactory({ secrets: new SecretBox(config.jwtSecret), llm: config.llm });
const sessions = new Map<number, Session>();
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; runId: number }>();
let calls = 0;

const send = (msg: FromThread) => port.postMessage(msg);

/** A session's store whose calls the owning process carries out. */
function remoteStore(key: number): SessionStore {
  const call =
    <R>(op: keyof SessionStore) =>
    (...args: unknown[]) =>
      new Promise<R>((resolve, reject) => {
        const id = ++calls;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, runId: key });
        send({ type: 'call', call: id, key, op, args });
      });
  return { emit: call('emit'), step: call('step'), log: call('log'), equityCurve: call('equityCurve'), finish: call('finish') };
}

port.on('message', (msg: ToThread) => {
  switch (msg.type) {
    case 'start': {
      const { model, run } = msg;
      const session = new Session(model, run, unpackPlan(msg.plan), (hooks) => agents(model, hooks), remoteStore(msg.key));
      sessions.set(msg.key, session);
      void session.done.then((status: RunStatus) => {
        sessions.delete(msg.key);
        send({ type: 'done', key: msg.key, status });
      });
      return;
    }
    case 'stop':
      sessions.get(msg.key)?.stop(msg.reason);
      return;
    case 'reply': {
      const pending = waiting.get(msg.call);
      waiting.delete(msg.call);
      if (!pending) return;
      if (msg.ok) pending.resolve(msg.value);
      // A run closed by someone else is told apart: its session ends quietly, as it would in the owning process.
      else pending.reject(msg.closed ? new RunClosed(pending.runId) : new Error(msg.message));
    }
  }
});
