import { type ChildProcess, fork } from 'node:child_process';

export interface Message {
  type: string;
}

/**
 * A benchmark process driven over IPC: messages it sends are queued until `receive` asks for
 * them by type; every wait is bounded, and a child that dies fails the wait with its stderr.
 */
export class Child<In extends Message, Out extends Message> {
  private readonly inbox: Out[] = [];
  private waiter: (() => void) | null = null;
  private exited: string | null = null;
  private stderr = '';
  private readonly proc: ChildProcess;

  constructor(readonly name: string, entry: URL, execArgv: string[] = []) {
    this.proc = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.proc.stderr!.on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.proc.on('message', (m) => {
      this.inbox.push(m as Out);
      this.waiter?.();
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = `${name} exited (${signal ?? code})${this.stderr ? `:\n${this.stderr}` : ''}`;
      this.waiter?.();
    });
  }

  send(msg: In) {
    if (this.proc.connected) this.proc.send(msg);
  }

  async receive<T extends Out['type']>(type: T, timeoutMs: number): Promise<Extract<Out, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Extract<Out, { type: T }>;
      if (this.exited) throw new Error(this.exited);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no '${type}' within ${timeoutMs} ms${this.stderr ? `:\n${this.stderr}` : ''}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  /** Asks the child to exit, then kills it (by its own pid) if it has not within `graceMs`. */
  async stop(graceMs = 5000) {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    if (this.proc.connected) this.proc.send({ type: 'exit' });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * The child side: typed messages from the parent and a reply channel. On `exit`, or when the
 * parent goes away, `cleanup` runs (bounded to 5 s) and the process ends.
 */
export function parentChannel<In extends Message, Out extends Message>(
  handle: (msg: In) => void | Promise<void>,
  cleanup: () => Promise<void> = async () => {},
) {
  const reply = (msg: Out) => process.send!(msg);
  const end = (code: number) => {
    setTimeout(() => process.exit(code), 5000).unref();
    void cleanup().finally(() => process.exit(code));
  };
  process.on('disconnect', () => end(1));
  process.on('message', (m) => {
    const msg = m as In;
    if (msg.type === 'exit') return end(0);
    Promise.resolve(handle(msg)).catch((e) => {
      console.error(e);
      end(1);
    });
  });
  return reply;
}
