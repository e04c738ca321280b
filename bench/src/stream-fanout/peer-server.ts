import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parentChannel } from '../lib/child.js';
import { findPeerPython, PEER_SCRIPT } from './peer.js';
import type { FromServer, ToServer } from './protocol.js';

/**
 * The peer target's server process: relays the harness's messages to the Python server
 * (bench/peer/seed_backend.py), which runs the event source itself and measures its own CPU and
 * RSS, and relays its replies back. Python's stdout carries only its replies, one JSON line each.
 */
let python: ChildProcessWithoutNullStreams | undefined;
const replies: FromServer[] = [];
let wake: (() => void) | null = null;
let stderr = '';

function start() {
  const found = findPeerPython();
  if ('missing' in found) throw new Error(found.missing);
  python = spawn(found.python, ['-u', PEER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  python.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  createInterface({ input: python.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    replies.push(JSON.parse(line) as FromServer);
    wake?.();
  });
  python.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`peer exited (${code}): ${stderr}`);
    wake?.();
  });
}

async function ask(msg: ToServer, type: FromServer['type']): Promise<FromServer> {
  python!.stdin.write(`${JSON.stringify(msg)}\n`);
  for (;;) {
    const i = replies.findIndex((r) => r.type === type);
    if (i >= 0) return replies.splice(i, 1)[0]!;
    if (python!.exitCode !== null) throw new Error(`peer exited (${python!.exitCode}): ${stderr}`);
    await new Promise<void>((r) => (wake = r));
    wake = null;
  }
}

const reply = parentChannel<ToServer, FromServer>(
  async (msg) => {
    if (msg.type === 'setup') {
      start();
      reply(await ask(msg, 'ready'));
    } else if (msg.type === 'settle') reply(await ask(msg, 'settled'));
    else if (msg.type === 'start') reply(await ask(msg, 'done'));
  },
  async () => {
    if (!python || python.exitCode !== null) return;
    const gone = new Promise<void>((r) => python!.once('exit', () => r()));
    python.stdin.write(`${JSON.stringify({ type: 'exit' })}\n`);
    const timer = setTimeout(() => python?.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  },
);
