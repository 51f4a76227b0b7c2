import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revealRow, rowsPerPage, visibleRange } from './virtual';

const base = { rowHeight: 50, viewportHeight: 500, overscan: 5 };

describe('visibleRange', () => {
  it('renders the first page plus overscan at the top', () => {
    expect(visibleRange({ ...base, scrollTop: 0, count: 10_000 })).toEqual({ start: 0, end: 16 });
  });

  it('renders the rows around the scroll position in the middle', () => {
    // rows 100..110 are visible at scrollTop 5000
    expect(visibleRange({ ...base, scrollTop: 5000, count: 10_000 })).toEqual({
      start: 95,
      end: 116,
    });
  });

  it('stops at the last row', () => {
    expect(visibleRange({ ...base, scrollTop: 499_500, count: 10_000 })).toEqual({
      start: 9985,
      end: 10_000,
    });
  });

  it('shows the last page when scrollTop is past the end after the list shrank', () => {
    expect(visibleRange({ ...base, scrollTop: 400_000, count: 30 })).toEqual({
      start: 15,
      end: 30,
    });
  });

  it('renders everything for a short list and nothing for an empty one', () => {
    expect(visibleRange({ ...base, scrollTop: 0, count: 3 })).toEqual({ start: 0, end: 3 });
    expect(visibleRange({ ...base, scrollTop: 0, count: 0 })).toEqual({ start: 0, end: 0 });
  });

  it('always covers every row in the viewport and stays small', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }), // count
        fc.integer({ min: 1, max: 120 }), // rowHeight
        fc.integer({ min: 0, max: 2000 }), // viewportHeight
        fc.integer({ min: 0, max: 20 }), // overscan
        fc.double({ min: 0, max: 1, noNaN: true }), // scroll fraction
        (count, rowHeight, viewportHeight, overscan, fraction) => {
          const maxTop = Math.max(0, count * rowHeight - viewportHeight);
          const scrollTop = Math.floor(maxTop * fraction);
          const { start, end } = visibleRange({
            scrollTop,
            viewportHeight,
            rowHeight,
            count,
            overscan,
          });
          expect(start).toBeGreaterThanOrEqual(0);
          expect(end).toBeLessThanOrEqual(count);
          expect(start).toBeLessThanOrEqual(end);
          const firstVisible = Math.floor(scrollTop / rowHeight);
          const lastVisible = Math.min(
            count - 1,
            Math.ceil((scrollTop + viewportHeight) / rowHeight) - 1,
          );
          if (count > 0) {
            expect(start).toBeLessThanOrEqual(firstVisible);
            expect(end).toBeGreaterThan(lastVisible);
          }
          expect(end - start).toBeLessThanOrEqual(
            Math.ceil(viewportHeight / rowHeight) + 2 + 2 * overscan,
          );
        },
      ),
    );
  });
});

describe('revealRow', () => {
  it('leaves the scroll alone when the row is visible', () => {
    expect(revealRow(3, 0, 500, 50)).toBe(0);
  });
  it('scrolls up so a row above is at the top', () => {
    expect(revealRow(2, 500, 500, 50)).toBe(100);
  });
  it('scrolls down so a row below is at the bottom', () => {
    expect(revealRow(20, 0, 500, 50)).toBe(550);
  });
});

describe('rowsPerPage', () => {
  it('counts whole rows, at least one', () => {
    expect(rowsPerPage(500, 50)).toBe(10);
    expect(rowsPerPage(520, 50)).toBe(10);
    expect(rowsPerPage(10, 50)).toBe(1);
  });
});
