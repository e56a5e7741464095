/**
 * Relative date literals as UTC ranges [start, end) in days since the epoch ("Date Formats and Date
 * Literals", SOQL and SOSL Reference). The emulated org's time zone is GMT.
 */
const DAY = 86400000;

/** Range of a relative date literal, in epoch milliseconds. */
export function dateLiteralRange(name: string, n = 0, now = Date.now()): [number, number] {
  const today = Math.floor(now / DAY) * DAY;
  const d = new Date(today);
  const weekStart = today - d.getUTCDay() * DAY;
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  switch (name) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'LAST_N_DAYS':
      return [today - n * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (n + 1) * DAY];
    case 'N_DAYS_AGO':
      return [today - n * DAY, today - (n - 1) * DAY];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY, weekStart];
    case 'THIS_MONTH':
      return [monthStart, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)];
    case 'LAST_MONTH':
      return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), monthStart];
    default:
      return [Date.UTC(d.getUTCFullYear(), 0, 1), Date.UTC(d.getUTCFullYear() + 1, 0, 1)];
  }
}
