import { describe, expect, it } from 'vitest';
import { FAKE_ALPACA_KEYS, startFakeAlpacaStream, startFakeAlpacaTrading } from '../test/fake-alpaca.js';
import { until } from '../test/until.js';
import { AlpacaStreams, alpacaBroker, streamUrl } from './index.js';

const rules = {
  risk: { max_position_pct: 100, max_orders_per_step: 10, min_cash_pct: 0, stop_loss_pct: null, max_drawdown_pct: null },
  commissionBps: 0,
  slippageBps: 0,
};

describe('Alpaca from the configuration', () => {
  it('shares one stream per key pair and builds the paper broker', async () => {
    const stream = await startFakeAlpacaStream();
    const paper = await startFakeAlpacaTrading();
    try {
      const config = { paperUrl: paper.url, streamUrl: streamUrl(stream.url, 'iex', { allowLoopback: true }), feed: 'iex', allowLoopback: true, stream: true };
      const streams = new AlpacaStreams(config);
      expect(streams.of(FAKE_ALPACA_KEYS)).toBe(streams.of({ ...FAKE_ALPACA_KEYS }));
      expect(streams.of({ keyId: 'PKOTHER', secretKey: 'x' })).not.toBe(streams.of(FAKE_ALPACA_KEYS));

      const source = streams.source({ name: 'alpaca', poll: async () => [] }, FAKE_ALPACA_KEYS);
      const subs = [source.subscribe!(['AAPL'], { onBar: () => {} }), source.subscribe!(['MSFT'], { onBar: () => {} })];
      await until(() => stream.subscribed().length === 2, 'both symbols subscribed');
      expect(stream.connections).toBe(1);
      for (const s of subs) await s.close();

      const broker = alpacaBroker(config, FAKE_ALPACA_KEYS, rules, { pollMs: 5 });
      expect(broker.name).toBe('alpaca');
      expect(await broker.account()).toEqual({ cash: 100_000, positions: [] });
    } finally {
      await stream.close();
      await paper.close();
    }
  });
});
