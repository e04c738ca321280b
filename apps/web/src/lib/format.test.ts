import { describe, expect, it } from 'vitest';
import { createFormatters, MINUS } from './format';

const us = createFormatters('en-US');
const gb = createFormatters('en-GB');
const de = createFormatters('de-DE');

describe('money', () => {
  it('has a "$" and the locale’s separators', () => {
    expect(us.money(10023.5)).toBe('$10,023.50');
    expect(gb.money(10023.5)).toBe('$10,023.50');
    expect(de.money(10023.5)).toBe('10.023,50\u00a0$');
    expect(us.money(0)).toBe('$0.00');
  });

  it('signs gains and losses, the loss with U+2212', () => {
    expect(us.signedMoney(12.3)).toBe('+$12.30');
    expect(us.signedMoney(-4)).toBe(`${MINUS}$4.00`);
    expect(us.signedMoney(0)).toBe('$0.00');
    expect(de.signedMoney(-1234.5)).toBe(`${MINUS}1.234,50\u00a0$`);
    expect(us.money(-4)).toBe(`${MINUS}$4.00`);
  });
});

describe('percent', () => {
  it('always carries a sign, and the minus is U+2212 in every locale', () => {
    expect(us.pct(1.234)).toBe('+1.23%');
    expect(us.pct(-0.5)).toBe(`${MINUS}0.50%`);
    expect(us.pct(0)).toBe('0.00%');
    expect(us.pct(-0.001)).toBe('0.00%');
    expect(de.pct(-12.5, 1)).toBe(`${MINUS}12,5\u00a0%`);
    for (const f of [us, gb, de, createFormatters('sv-SE'), createFormatters('fr-FR')]) {
      const text = f.pct(-3.21);
      expect(text, f.locale).toContain(MINUS);
      expect(text, f.locale).not.toMatch(/[-\u2013\u2012]/);
    }
  });

  it('has an unsigned form for rates that are never gains or losses', () => {
    expect(us.unsignedPct(12.5)).toBe('12.50%');
    expect(us.decimal(-1.234)).toBe(`${MINUS}1.23`);
  });
});

describe('dates and clocks', () => {
  it('prints a market date in one style per locale, never shifted by the time zone', () => {
    expect(us.date('2026-10-01')).toBe('Oct 1, 2026');
    expect(gb.date('2026-10-01')).toBe('1 Oct 2026');
    expect(de.date('2026-10-01')).toBe('1. Okt. 2026');
    expect(us.dateRange('2026-10-01', '2026-10-30')).toBe('Oct 1, 2026 – Oct 30, 2026');
  });

  it('prints a month and a short day for axes, in UTC', () => {
    expect(us.month('2026-01')).toBe('Jan 2026');
    expect(gb.month('2026-12')).toBe('Dec 2026');
    expect(us.month('2026-W03')).toBe('2026-W03');
    expect(us.shortDate('2026-10-01')).toBe('Oct 1');
    expect(gb.shortDate('2026-01-31')).toBe('31 Jan');
  });

  it('reads clocks as the locale does: 12 h in the US, 24 h in Britain and Germany', () => {
    const afternoon = new Date(2026, 0, 5, 14, 3, 27);
    expect(us.clock(afternoon)).toMatch(/^2:03:27\sPM$/);
    expect(gb.clock(afternoon)).toBe('14:03:27');
    expect(de.clock(afternoon)).toBe('14:03:27');
    expect(us.clock('not a time')).toBe('');
    expect(gb.clock(afternoon, 'minutes')).toBe('14:03');
    expect(us.clock(afternoon, 'minutes')).toMatch(/^2:03\sPM$/);
  });

  it('joins the date and the clock for a timestamp, and a dash for none', () => {
    const iso = new Date(2026, 0, 5, 9, 5, 0).toISOString();
    expect(gb.dateTime(iso)).toBe('5 Jan 2026, 09:05:00');
    expect(us.dateTime(iso)).toMatch(/^Jan 5, 2026, 9:05:00\sAM$/);
    expect(us.dateTime(null)).toBe('—');
  });

  it('falls back to Intl’s default locale for one it cannot use', () => {
    expect(createFormatters('not a locale!').money(1)).toMatch(/1/);
    expect(createFormatters(undefined).locale).toBeTruthy();
  });
});
