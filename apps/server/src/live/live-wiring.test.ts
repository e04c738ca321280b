import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import type { ModelRecord } from '../storage/records.js';
import { modelWrite } from '../test/fixtures.js';
import { FAKE_ALPACA_KEYS, startFakeAlpacaStream, startFakeAlpacaTrading } from '../test/fake-alpaca.js';
import { until } from '../test/until.js';
import { liveWiring } from './live-wiring.js';

const model: ModelRecord = { id: 1, user_id: 1, created_at: '', updated_at: '', ...modelWrite('Live') };

describe('live wiring: what a live run gets on this server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-wiring-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with Alpaca keys: bars from the real-time stream (polls behind it) and the Alpaca paper account as a broker', async () => {
    const stream = await startFakeAlpacaStream();
    const paper = await startFakeAlpacaTrading();
    try {
      const config = loadConfig({
        DATA_DIR: dir,
        ALPACA_KEY_ID: FAKE_ALPACA_KEYS.keyId,
        ALPACA_SECRET_KEY: FAKE_ALPACA_KEYS.secretKey,
        ALPACA_PAPER_URL: paper.url,
        ALPACA_STREAM_URL: stream.url,
        ALPACA_ALLOW_LOOPBACK: '1',
      });
      const wiring = liveWiring(config);
      const source = wiring.source('alpaca');
      expect(source.subscribe).toBeDefined();
      const sub = source.subscribe!(['AAPL'], { onBar: () => {} });
      await until(() => stream.subscribed().includes('AAPL'), 'AAPL subscribed on the stream');
      await sub.close();
      const broker = wiring.broker(model, 'alpaca');
      expect(broker.name).toBe('alpaca');
      expect(await broker.account()).toMatchObject({ cash: expect.any(Number) });
      expect(wiring.broker(model, 'builtin').name).toBe('builtin');
    } finally {
      await stream.close();
      await paper.close();
    }
  });

  it('without the stream (ALPACA_STREAM=0) polls; without keys the Alpaca broker is refused naming it', () => {
    const polled = liveWiring(loadConfig({ DATA_DIR: dir, ALPACA_KEY_ID: 'PKTEST', ALPACA_SECRET_KEY: 'secret', ALPACA_STREAM: '0' }));
    expect(polled.source('alpaca').subscribe).toBeUndefined();
    const none = liveWiring(loadConfig({ DATA_DIR: dir }));
    expect(() => none.broker(model, 'alpaca')).toThrow(/broker: the alpaca paper account is not available/);
  });
});
