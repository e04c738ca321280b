import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OpenLot, RoundTrip } from '@tradewire/contract';
import { RoundTripsTable } from './RoundTripsTable';

const trip = (symbol: string, exit: string, pnl: number, days: number): RoundTrip => ({
  symbol,
  quantity: 10,
  entry_date: '2026-03-02',
  entry_price: 50,
  exit_date: exit,
  exit_price: 50 + pnl / 10,
  entry_commission: 0,
  exit_commission: 0,
  pnl,
  pnl_pct: (pnl / 500) * 100,
  holding_days: days,
  calendar_days: days,
  entry_reason: `SMA5 crossed above SMA20 (${symbol})`,
  exit_reason: pnl > 0 ? 'take profit' : null,
});

const trips = [trip('ZNTH', '2026-03-10', 40, 6), trip('QLLX', '2026-03-12', -25, 8), trip('LDGR', '2026-03-20', 5, 14)];
const open: OpenLot[] = [
  { symbol: 'VRDX', quantity: 3, entry_date: '2026-03-25', entry_price: 61, entry_commission: 0, entry_reason: 'RSI14 28 below 30', last_price: 65, unrealized_pnl: 12 },
];

const symbols = () => screen.getAllByTestId('round-trip-row').map((r) => r.getAttribute('data-symbol'));

describe('RoundTripsTable', () => {
  it('lists the closed trades in closing order with their reasons, the totals, and the lots still open', () => {
    render(<RoundTripsTable trips={trips} open={open} />);
    expect(symbols()).toEqual(['ZNTH', 'QLLX', 'LDGR']);
    const first = screen.getAllByTestId('round-trip-row')[0]!;
    expect(within(first).getByTestId('entry-reason').textContent).toBe('In: SMA5 crossed above SMA20 (ZNTH)');
    expect(within(first).getByTestId('exit-reason').textContent).toBe('Out: take profit');
    expect(within(screen.getAllByTestId('round-trip-row')[1]!).getByTestId('exit-reason').textContent).toBe('Out: —');

    const totals = screen.getByTestId('round-trip-totals');
    expect(totals.dataset).toMatchObject({ count: '3', wins: '2', losses: '1', pnl: '20' });
    expect(totals.textContent).toContain('66.67%');
    expect(totals.textContent).toContain('+$20.00');

    const lots = screen.getAllByTestId('open-lot-row');
    expect(lots.map((r) => r.getAttribute('data-symbol'))).toEqual(['VRDX']);
    expect(lots[0]!.textContent).toContain('+$12.00');
  });

  it('sorts by a header: first click in its own direction, second click flips it; aria-sort follows', () => {
    render(<RoundTripsTable trips={trips} open={[]} />);
    const pnl = screen.getByTestId('sort-pnl');
    fireEvent.click(pnl);
    expect(symbols()).toEqual(['ZNTH', 'LDGR', 'QLLX']);
    expect(pnl.closest('th')!.getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByTestId('sort-exit_date').closest('th')!.getAttribute('aria-sort')).toBe('none');
    fireEvent.click(pnl);
    expect(symbols()).toEqual(['QLLX', 'LDGR', 'ZNTH']);
    expect(pnl.closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByTestId('sort-symbol'));
    expect(symbols()).toEqual(['LDGR', 'QLLX', 'ZNTH']);
  });

  it('sorts from the phone selects too', () => {
    render(<RoundTripsTable trips={trips} open={[]} />);
    const sort = screen.getByTestId('round-trips-sort');
    fireEvent.change(within(sort).getByLabelText('Sort by'), { target: { value: 'holding_days' } });
    expect(symbols()).toEqual(['ZNTH', 'QLLX', 'LDGR']);
    fireEvent.change(within(sort).getByLabelText('Order'), { target: { value: 'desc' } });
    expect(symbols()).toEqual(['LDGR', 'QLLX', 'ZNTH']);
    expect(screen.getByTestId('round-trips-table').dataset.sort).toBe('holding_days desc');
  });

  it('says so when nothing has closed yet', () => {
    render(<RoundTripsTable trips={[]} open={open} />);
    expect(screen.getByTestId('round-trips-empty')).toBeTruthy();
    expect(screen.queryByTestId('round-trips-table')).toBeNull();
    expect(screen.getByTestId('round-trip-totals').textContent).toContain('—');
  });
});
