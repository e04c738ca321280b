import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The peer target's server: the seed backend's design in Python (bench/peer/seed_backend.py). */
export const PEER_SCRIPT = fileURLToPath(new URL('../../../bench/peer/seed_backend.py', import.meta.url));

/** Pythons tried in order: Debian's (where apt puts python3-fastapi and python3-uvicorn), then the one on PATH. */
const CANDIDATES = ['/usr/bin/python3', 'python3'];

/** A Python that can run the peer (FastAPI and uvicorn importable), with their versions; or why none can. */
export function findPeerPython(): { python: string; versions: string } | { missing: string } {
  for (const python of CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import sys, fastapi, uvicorn; print(sys.version.split()[0], fastapi.__version__, uvicorn.__version__)'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (probe.status === 0) {
      const [py, fastapi, uvicorn] = probe.stdout.trim().split(' ');
      return { python, versions: `Python ${py}, FastAPI ${fastapi}, uvicorn ${uvicorn} (h11, asyncio loop)` };
    }
  }
  return { missing: 'no python3 with FastAPI and uvicorn (`apt-get install -y python3-fastapi python3-uvicorn`)' };
}
