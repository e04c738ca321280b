import { describe, expect, it } from 'vitest';
import { alignCurves, bestIndex, compareHref, parseRunRefs } from './compare-runs';

describe('compare URL', () => {
  it('reads model:run pairs in order, without repeats or junk, at most four', () => {
    expect(parseRunRefs('3:1,5:2')).toEqual([
      { modelId: 3, runNumber: 1 },
      { modelId: 5, runNumber: 2 },
    ]);
    expect(parseRunRefs('3:1, 3:1,x,0:2,4:0,7,1:2:3,2:9')).toEqual([
      { modelId: 3, runNumber: 1 },
      { modelId: 2, runNumber: 9 },
    ]);
    expect(parseRunRefs('1:1,1:2,1:3,1:4,1:5')).toHaveLength(4);
    expect(parseRunRefs(null)).toEqual([]);
  });

  it('writes the same form back', () => {
    const refs = [
      { modelId: 3, runNumber: 1 },
      { modelId: 5, runNumber: 2 },
    ];
    expect(compareHref(refs)).toBe('/compare?runs=3:1,5:2');
    expect(parseRunRefs(new URL(compareHref(refs), 'http://x').searchParams.get('runs'))).toEqual(refs);
  });
});

describe('aligning equity curves', () => {
  it('puts every run on the union of their trading days, null where a run did not trade', () => {
    const a = { equity_curve: [{ date: '2026-03-02', value: 100 }, { date: '2026-03-03', value: 101 }] };
    const b = { equity_curve: [{ date: '2026-03-03', value: 100 }, { date: '2026-03-04', value: 98.5 }] };
    expect(alignCurves([a, b])).toEqual({
      dates: ['2026-03-02', '2026-03-03', '2026-03-04'],
      series: [
        [100, 101, null],
        [null, 100, 98.5],
      ],
    });
  });
});

describe('best of a metric', () => {
  it('marks a clear winner only', () => {
    expect(bestIndex([1.2, 3.4, -1], 'higher')).toBe(1);
    expect(bestIndex([10.9, 4.25], 'lower')).toBe(1);
    expect(bestIndex([2, 2, 1], 'higher')).toBeNull();
    expect(bestIndex([null, 2], 'higher')).toBeNull();
    expect(bestIndex([null, 2, 3], 'higher')).toBe(2);
  });
});
