import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Compiles the server once so tests can start real node processes from dist/. */
export function buildServer() {
  execFileSync('npx', ['tsc', '-b', 'apps/server'], { cwd: root, stdio: 'inherit' });
}

export interface Proc {
  child: ChildProcess;
  output: string[];
  /** Resolves when a line of output matches. */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node apps/server/dist/<entry>.js` with its own environment. */
export function startProcess(entry: 'main' | 'worker', env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [`apps/server/dist/${entry}.js`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      for (const w of [...waiters]) {
        if (!w.re.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output,
    waitFor(re, ms = 20_000) {
      const found = output.find((l) => re.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no output matching ${re} in ${ms} ms:\n${output.slice(-20).join('\n')}`)), ms);
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
