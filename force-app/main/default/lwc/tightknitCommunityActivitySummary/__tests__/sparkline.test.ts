import { sparklineGeometry } from '../sparkline';

describe('sparklineGeometry', () => {
  it('spreads points across the width and puts the busiest week at the top', () => {
    const geometry = sparklineGeometry([0, 5, 10], 100, 24, 2);
    expect(geometry.points).toBe('2,22 50,12 98,2');
    expect(geometry).toMatchObject({ total: 15, max: 10, lastX: 98, lastY: 2 });
  });

  it('keeps an all-zero series on the baseline', () => {
    expect(sparklineGeometry([0, 0], 100, 24, 2).points).toBe('2,22 98,22');
  });

  it('draws a single week as a flat line and no weeks as nothing', () => {
    expect(sparklineGeometry([4], 100, 24, 2).points).toBe('2,2 98,2');
    expect(sparklineGeometry([], 100, 24, 2).points).toBe('');
  });

  it('treats negative and non-numeric counts as zero', () => {
    expect(sparklineGeometry([-3, Number.NaN, 2], 100, 24, 2)).toMatchObject({ total: 2, max: 2 });
  });
});
