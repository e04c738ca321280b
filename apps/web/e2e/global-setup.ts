import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from './support/browser';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs once before the e2e files: the browser must be there, and the dashboard built from this checkout. */
export default function setup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The end-to-end tests drive Debian's Chromium at ${CHROMIUM}, which is not installed. ` +
        'Install it with `sudo apt-get install chromium` (playwright-core uses it as is; no browser download is needed).',
    );
  }
  try {
    // The server serves apps/web/dist: build it so the tests see the current UI, not a stale bundle.
    // Vitest sets NODE_ENV=test, which would give React's development build: test what users get.
    execFileSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`Building the dashboard (npm run build -w apps/web) failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
}
