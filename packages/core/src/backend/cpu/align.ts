/** The least multiple of m that is ≥ n (n ≥ 0, m > 0): tile, panel and alignment sizes. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
