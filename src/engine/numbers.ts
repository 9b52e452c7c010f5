/**
 * Points are decimals summed in binary floating point: 0.1 + 0.2 ≠ 0.3, 92.8 − 92.4 =
 * 0.39999999999999147. Sums and differences are snapped to 9 decimals so that equal totals tie
 * exactly whatever the order of addition: far below any published precision (2 decimals), far
 * above the noise (~1e-14).
 */
export function snap(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
