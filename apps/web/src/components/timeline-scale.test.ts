import { describe, expect, it } from 'vitest';
import { clampView, MIN_SPAN_MS, panView, timeExtent, timeTicks, timeToX, xToTime, zoomView } from './timeline-scale';

describe('timeline scale', () => {
  it('pads the extent of the times, and gives an instant a window of its own', () => {
    expect(timeExtent([])).toBeNull();
    expect(timeExtent([1_000, 11_000, 6_000])).toEqual({ start: 800, end: 11_200 });
    expect(timeExtent([500])).toEqual({ start: 490, end: 510 });
  });

  it('maps time to x and back', () => {
    const view = { start: 1_000, end: 2_000 };
    expect(timeToX(1_000, view, 500)).toBe(0);
    expect(timeToX(1_500, view, 500)).toBe(250);
    expect(timeToX(2_500, view, 500)).toBe(750);
    expect(xToTime(250, view, 500)).toBe(1_500);
  });

  it('zooms around the anchor, which stays in place on screen', () => {
    const bounds = { start: 0, end: 1_000 };
    const zoomed = zoomView(bounds, 2, 250, bounds);
    expect(zoomed).toEqual({ start: 125, end: 625 });
    expect(timeToX(250, zoomed, 100)).toBe(timeToX(250, bounds, 100));
    // Zooming back out returns to the whole run, never past it.
    expect(zoomView(zoomed, 0.5, 250, bounds)).toEqual(bounds);
    expect(zoomView(zoomed, 0.01, 250, bounds)).toEqual(bounds);
  });

  it('never zooms narrower than the least span, and stays inside the bounds', () => {
    const bounds = { start: 0, end: 1_000 };
    const tight = zoomView(bounds, 1e6, 1_000, bounds);
    expect(tight.end - tight.start).toBe(MIN_SPAN_MS);
    expect(tight.end).toBe(1_000);
    expect(clampView({ start: -50, end: 150 }, bounds)).toEqual({ start: 0, end: 200 });
    expect(panView({ start: 800, end: 900 }, 500, bounds)).toEqual({ start: 900, end: 1_000 });
  });

  it('puts ticks on round steps inside the view', () => {
    expect(timeTicks({ start: 0, end: 1_000 }, 5)).toEqual({ step: 200, ticks: [0, 200, 400, 600, 800, 1_000] });
    const { step, ticks } = timeTicks({ start: 61_000, end: 10 * 60_000 }, 6);
    expect(step).toBe(120_000);
    expect(ticks).toEqual([120_000, 240_000, 360_000, 480_000, 600_000]);
  });
});
