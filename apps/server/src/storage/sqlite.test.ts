import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqlite } from './sqlite.js';
import { storageContract } from './storage.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'tradewire-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
storageContract('sqlite', () => openSqlite(join(dir, `contract-${++n}.db`)));
