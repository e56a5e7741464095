/** The seeded randomness of one export: every draw comes from `rand`, in a fixed order, so a seed gives the same files. */
export interface Random {
  rand: () => number;
  pick: <T>(list: readonly T[]) => T;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRandom(seed: number): Random {
  const rand = rng(seed);
  return { rand, pick: (list) => list[Math.floor(rand() * list.length)] };
}

/** `n` with leading zeros to `width` digits (Slack-like ids and timestamps). */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
