import type { Random } from './random';

/**
 * Who speaks next: activity comes from a minority of members (70 %), the most active far more often
 * (a power-law); a seeded shuffle spreads the most active members over the id range.
 */
export function speakerPicker(random: Random, userIds: string[], members: number): () => string {
  const { rand } = random;
  const active = Math.max(1, Math.round(members * 0.7));
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < active; i++) {
    sum += 1 / Math.pow(i + 1, 0.8);
    cumulative.push(sum);
  }
  const order = userIds.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  order.length = active;
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return order[lo];
  };
}
