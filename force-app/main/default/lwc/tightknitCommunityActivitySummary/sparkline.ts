/**
 * Geometry of a weekly-activity sparkline: plain numbers in, SVG polyline points out. The template
 * draws it; this module decides where every point goes.
 */

export type SparklineGeometry = {
  /** SVG polyline "x,y x,y ..." in viewBox units. */
  points: string;
  /** The last point, for a dot marking the current week. */
  lastX: number;
  lastY: number;
  total: number;
  max: number;
  width: number;
  height: number;
};

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Points for counts (oldest first) in a width x height box with `padding` on every side. The busiest
 * week touches the top; zero weeks sit on the baseline; a single week is drawn as a flat line.
 */
export function sparklineGeometry(counts: readonly number[], width = 100, height = 24, padding = 2): SparklineGeometry {
  const values = counts.map((count) => (Number.isFinite(count) && count > 0 ? count : 0));
  const total = values.reduce((sum, value) => sum + value, 0);
  const max = values.reduce((best, value) => Math.max(best, value), 0);
  const innerWidth = width - 2 * padding;
  const innerHeight = height - 2 * padding;
  const yOf = (value: number) => round(height - padding - (max === 0 ? 0 : (value / max) * innerHeight));

  if (values.length === 0) {
    return { points: '', lastX: padding, lastY: height - padding, total, max, width, height };
  }
  if (values.length === 1) {
    const y = yOf(values[0]);
    return {
      points: `${padding},${y} ${width - padding},${y}`,
      lastX: width - padding,
      lastY: y,
      total,
      max,
      width,
      height,
    };
  }
  const step = innerWidth / (values.length - 1);
  const coordinates = values.map((value, index) => ({ x: round(padding + index * step), y: yOf(value) }));
  const last = coordinates[coordinates.length - 1];
  return {
    points: coordinates.map((point) => `${point.x},${point.y}`).join(' '),
    lastX: last.x,
    lastY: last.y,
    total,
    max,
    width,
    height,
  };
}
