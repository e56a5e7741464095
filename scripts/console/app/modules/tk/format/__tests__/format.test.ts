import {
  formatDateTime,
  formatDuration,
  formatInterval,
  formatNumber,
  formatRate,
  formatSeconds,
  percentOf,
} from 'tk/format';
import { fill } from 'tk/labels';

describe('tk/format', () => {
  it('formats numbers with separators and a dash for nothing', () => {
    expect(formatNumber(58210)).toBe('58,210');
    expect(formatNumber(null)).toBe('—');
  });

  it('formats local times', () => {
    expect(formatDateTime('2026-03-04T14:05:00.000Z', 'UTC')).toBe('Mar 4, 2026, 2:05 PM');
    expect(formatDateTime('2026-03-04T14:05:00.000Z', 'America/New_York')).toBe('Mar 4, 2026, 9:05 AM');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(205_000)).toBe('3 min 25 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(7_440_000)).toBe('2 h 4 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatSeconds(3600)).toBe('1 h');
  });

  it('formats rates, percentages and intervals', () => {
    expect(formatRate(4.56)).toBe('4.6');
    expect(formatRate(1234.4)).toBe('1,234');
    expect(percentOf(620, 1240)).toBe(50);
    expect(percentOf(2, 3)).toBe(66);
    expect(percentOf(5, 0)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(12, 10)).toBe(100);
    expect(formatInterval(1)).toBe('1 minute');
    expect(formatInterval(15)).toBe('15 minutes');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
