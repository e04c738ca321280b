import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type NotifyEventType, type TradingEvent, type UserSettings } from '@tradewire/contract';
import { createNotifier } from './notifier';

let nextId = 1;
const complete = (model_id = 1): TradingEvent =>
  ({ id: String(nextId++), type: 'complete', timestamp: '2026-11-24T10:00:00.000Z', model_id, run_id: 1, data: { message: 'done', status: 'completed', metrics: null } }) as unknown as TradingEvent;
const error = (model_id = 1): TradingEvent =>
  ({ id: String(nextId++), type: 'error', timestamp: '2026-11-24T10:00:00.000Z', model_id, run_id: 1, data: { message: 'agent crashed' } }) as unknown as TradingEvent;

function setup(sound: NotifyEventType[], desktop: NotifyEventType[], permission = true) {
  let now = 0;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const beeps: number[] = [];
  const shown: { title: string; body: string }[] = [];
  const settings: UserSettings = structuredClone(DEFAULT_SETTINGS);
  for (const t of sound) settings.notifications.sound[t] = true;
  for (const t of desktop) settings.notifications.desktop[t] = true;
  const notifier = createNotifier(
    { beep: () => beeps.push(now), desktopAllowed: () => permission, showDesktop: (title, body) => shown.push({ title, body }) },
    {
      settings: () => settings.notifications,
      modelName: (id) => `Model ${id}`,
      now: () => now,
      setTimeout: (fn, ms) => {
        const t = { at: now + ms, fn, cancelled: false };
        timers.push(t);
        return () => void (t.cancelled = true);
      },
      windowMs: 1_000,
    },
  );
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now && !x.cancelled)) {
      t.cancelled = true;
      t.fn();
    }
  };
  return { notifier, beeps, shown, advance };
}

describe('createNotifier', () => {
  it('stays silent by default', () => {
    const { notifier, beeps, shown, advance } = setup([], []);
    notifier.handle([complete(), error()]);
    advance(5_000);
    expect(beeps).toEqual([]);
    expect(shown).toEqual([]);
  });

  it('shows a desktop notification only for the chosen types', () => {
    const { notifier, shown, beeps } = setup([], ['complete']);
    notifier.handle([error()]);
    expect(shown).toEqual([]);
    notifier.handle([complete(2)]);
    expect(shown).toEqual([{ title: 'Model 2: Trading completed', body: 'done' }]);
    expect(beeps).toEqual([]);
  });

  it('shows nothing on the desktop without permission', () => {
    const { notifier, shown, advance } = setup([], ['complete'], false);
    notifier.handle([complete()]);
    advance(5_000);
    expect(shown).toEqual([]);
  });

  it('beeps once per burst for sound-enabled types', () => {
    const { notifier, beeps, advance } = setup(['error'], []);
    notifier.handle([complete()]);
    expect(beeps).toEqual([]);
    notifier.handle([error(), error()]);
    advance(200);
    notifier.handle([error()]);
    advance(2_000);
    notifier.handle([error()]);
    expect(beeps).toEqual([0, 2_200]);
  });

  it('turns a burst into one summary notification', () => {
    const { notifier, shown, advance } = setup([], ['complete', 'error']);
    notifier.handle([complete(1)]);
    expect(shown).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      advance(100);
      notifier.handle([error(1), complete(2)]);
    }
    expect(shown).toHaveLength(1);
    advance(1_000);
    expect(shown).toHaveLength(2);
    expect(shown[1]!.title).toBe('Tradewire: 5 errors, 5 completed runs');
  });
});
