import { describe, expect, it } from 'vitest';
import { parseAlphaVantage } from './alpha-vantage.js';

const day = (open: string, high: string, low: string, close: string, volume = '1000') => ({
  '1. open': open,
  '2. high': high,
  '3. low': low,
  '4. close': close,
  '5. volume': volume,
});

const doc = (series: Record<string, unknown>, symbol = 'IBM') => ({
  'Meta Data': { '1. Information': 'Daily Prices (open, high, low, close) and Volumes', '2. Symbol': symbol },
  'Time Series (Daily)': series,
});

describe('parseAlphaVantage', () => {
  it('reads the symbol from Meta Data and the bars oldest first', () => {
    const series = parseAlphaVantage(
      doc({ '2024-01-03': day('161.0000', '161.7300', '160.0800', '160.1000', '4086133'), '2024-01-02': day('162.8300', '163.2900', '160.5000', '161.4100') }),
    );
    expect(series).toEqual({
      symbol: 'IBM',
      bars: [
        { date: '2024-01-02', open: 162.83, high: 163.29, low: 160.5, close: 161.41, volume: 1000 },
        { date: '2024-01-03', open: 161, high: 161.73, low: 160.08, close: 160.1, volume: 4086133 },
      ],
      adjusted: false,
      actions: [],
    });
  });

  it('falls back to the given symbol when Meta Data has none', () => {
    const parsed = parseAlphaVantage({ 'Time Series (Daily)': { '2024-01-02': day('1', '2', '1', '2') } }, { symbol: 'msft' });
    expect(parsed.symbol).toBe('MSFT');
  });

  it.each([
    ['Error Message', 'Invalid API call. Please retry or visit the documentation.'],
    ['Note', 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute.'],
    ['Information', 'The **demo** API key is for demo purposes only.'],
  ])('rejects an error body with %s, quoting its text', (key, text) => {
    expect(() => parseAlphaVantage({ [key]: text }, { file: 'IBM.json' })).toThrow(`IBM.json: Alpha Vantage returned no data: ${text}`);
  });

  const rejects = (series: Record<string, unknown>, message: string) =>
    expect(() => parseAlphaVantage(doc(series), { file: 'IBM.json' })).toThrow(message);

  it.each([
    ['a bad number', { '2024-01-02': day('1', '2', 'n/a', '2') }, 'IBM.json date 2024-01-02: bad number "n/a" in low'],
    ['high below low', { '2024-01-02': day('1', '1', '2', '1.5') }, 'IBM.json date 2024-01-02: high 1 is below low 2'],
    ['a missing field', { '2024-01-02': { '1. open': '1', '2. high': '2', '3. low': '1', '4. close': '2' } }, 'IBM.json date 2024-01-02: volume is missing'],
    ['a bad date', { '2024-13-01': day('1', '2', '1', '2') }, 'IBM.json date 2024-13-01: bad date "2024-13-01"'],
    ['a day that is not an object', { '2024-01-02': '1,2,1,2' }, 'IBM.json date 2024-01-02: expected an object'],
    ['an empty series', {}, 'IBM.json: no bars in "Time Series (Daily)"'],
  ])('rejects %s, naming the date', (_reason, series, message) => rejects(series, message));

  it('rejects documents that are not a daily series', () => {
    expect(() => parseAlphaVantage([], { file: 'a.json' })).toThrow('a.json: not an Alpha Vantage document');
    expect(() => parseAlphaVantage({ 'Meta Data': { '2. Symbol': 'IBM' } }, { file: 'a.json' })).toThrow(
      'a.json: missing "Time Series (Daily)"',
    );
    expect(() => parseAlphaVantage({ 'Time Series (Daily)': {} })).toThrow('missing "Meta Data" / "2. Symbol" and no symbol given');
  });

  describe('TIME_SERIES_DAILY_ADJUSTED', () => {
    const adjustedDay = (close: string, adjusted: string, dividend = '0.0000', split = '1.0') => ({
      '1. open': '100',
      '2. high': '110',
      '3. low': '90',
      '4. close': close,
      '5. adjusted close': adjusted,
      '6. volume': '5000',
      '7. dividend amount': dividend,
      '8. split coefficient': split,
    });
    const adjustedDoc = doc({
      '2024-01-02': adjustedDay('100', '50'),
      '2024-01-03': adjustedDay('105', '105', '0.5000'),
      '2024-01-04': adjustedDay('104', '104', '0.0000', '2.0'),
    });

    it('reads prices as traded, volume from "6. volume", and the days with dividends or splits', () => {
      const series = parseAlphaVantage(adjustedDoc);
      expect(series.bars[0]).toEqual({ date: '2024-01-02', open: 100, high: 110, low: 90, close: 100, volume: 5000 });
      expect(series).toMatchObject({ adjusted: false, actions: ['2024-01-03', '2024-01-04'] });
    });

    it('scales every price by adjusted close / close when asked to adjust', () => {
      const series = parseAlphaVantage(adjustedDoc, { adjust: true });
      expect(series.adjusted).toBe(true);
      expect(series.bars[0]).toEqual({ date: '2024-01-02', open: 50, high: 55, low: 45, close: 50, volume: 5000 });
      expect(series.bars[1]).toMatchObject({ open: 100, close: 105 });
    });
  });
});
