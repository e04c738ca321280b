import { describe, expect, it } from 'vitest';
import { formatMoneyTick } from './format';

describe('formatMoneyTick', () => {
  it('writes currency compactly, without cents', () => {
    expect(formatMoneyTick(10_400)).toBe('$10.4k');
    expect(formatMoneyTick(950.75)).toBe('$951');
    expect(formatMoneyTick(1_250_000)).toBe('$1.3M');
    expect(formatMoneyTick(2_000_000_000)).toBe('$2B');
    expect(formatMoneyTick(-1_200)).toBe('−$1.2k');
    expect(formatMoneyTick(0)).toBe('$0');
  });

  it('takes the digits neighbouring ticks need to differ', () => {
    const ticks = (from: number, step: number) => [0, 1, 2].map((i) => formatMoneyTick(from + i * step, step));
    expect(ticks(10_000, 1000)).toEqual(['$10k', '$11k', '$12k']);
    expect(ticks(10_000, 100)).toEqual(['$10k', '$10.1k', '$10.2k']);
    expect(ticks(10_000, 20)).toEqual(['$10k', '$10.02k', '$10.04k']);
    expect(ticks(1_000_000, 50_000)).toEqual(['$1M', '$1.05M', '$1.1M']);
  });
});
