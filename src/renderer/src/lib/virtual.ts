// Virtual list math for fixed-height rows. Pure so it can be tested without a layout engine.

export interface ViewportMetrics {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan: number;
}

/** Rows [start, end) to render. */
export interface RowRange {
  start: number;
  end: number;
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

export function visibleRange({
  scrollTop,
  viewportHeight,
  rowHeight,
  count,
  overscan,
}: ViewportMetrics): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const height = Math.max(0, viewportHeight);
  const perPage = Math.max(1, Math.ceil(height / rowHeight));
  // A scrollTop past the end happens for a moment after the list shrinks: show the last page.
  const maxTop = Math.max(0, count * rowHeight - height);
  const top = clamp(scrollTop, 0, maxTop);
  const first = Math.floor(top / rowHeight);
  const pad = Math.max(0, Math.floor(overscan));
  return {
    start: clamp(first - pad, 0, count),
    end: clamp(first + perPage + 1 + pad, 0, count),
  };
}

/** The scrollTop that shows row `index` entirely, moving as little as possible. */
export function revealRow(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

/** How many whole rows fit in the viewport (the distance of PageUp/PageDown); at least 1. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}
