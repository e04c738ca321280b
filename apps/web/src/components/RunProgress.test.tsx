import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RunProgress } from './RunProgress';

describe('RunProgress', () => {
  it('counts bars for a live run, with no bar of its share done', () => {
    render(<RunProgress progress={{ step: 12, total_steps: 12, date: '2026-11-30T16:00:00Z' }} testId="p" live />);
    expect(screen.getByTestId('p').textContent).toMatch(/^Live · bar 12 · /);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('shows a backtest’s days done out of its range', () => {
    render(<RunProgress progress={{ step: 3, total_steps: 10, date: '2026-10-02' }} testId="q" />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('3');
    expect(screen.getByTestId('q').textContent).toMatch(/Day 3 of 10/);
  });
});
