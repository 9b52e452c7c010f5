// The seeded generators against independent oracles (issue 12): mulberry32 and the string hash
// recomputed in exact 32-bit arithmetic with BigInt (no Math.imul, no int32 coercion), and the
// Box–Muller transform on chosen uniforms with known answers.
import { describe, expect, it } from 'vitest';
import { hashString, mulberry32, normal } from '../../src/engine/index.js';

const M = 2n ** 32n;
const u32 = (x: bigint) => ((x % M) + M) % M;
const rotl = (x: bigint, r: bigint) => u32((x << r) | (x >> (32n - r)));

/** h = (1779033703 XOR length); per UTF-16 unit c: h = rotl((h XOR c) · 3432918353 mod 2³², 13). */
function hashOracle(text: string): number {
  let h = u32(1779033703n ^ BigInt(text.length));
  for (let i = 0; i < text.length; i++) h = rotl(u32((h ^ BigInt(text.charCodeAt(i))) * 3432918353n), 13n);
  return Number(h);
}

/** mulberry32 (Tommy Ettinger), every step modulo 2³². */
function mulberryOracle(seed: number): () => number {
  let a = u32(BigInt(seed));
  return () => {
    a = u32(a + 0x6d2b79f5n);
    let t = u32((a ^ (a >> 15n)) * (a | 1n));
    t = t ^ u32(t + u32((t ^ (t >> 7n)) * (t | 61n)));
    return Number(t ^ (t >> 14n)) / 2 ** 32;
  };
}

describe('seeded generators, recomputed exactly', () => {
  it('the string hash is the 32-bit hash of every UTF-16 unit of the text, in order', () => {
    const texts = ['', 'a', 'ab', 'ba', 'abc', 'Hà Nội', 'Thành phố Hồ Chí Minh', '79-2025', '\u{1F600}', 'x'.repeat(300)];
    expect(texts.map(hashString)).toEqual(texts.map(hashOracle));
  });

  it('mulberry32 gives the reference sequence for a seed, seeds read as unsigned 32-bit integers', () => {
    for (const seed of [0, 1, 42, 2 ** 31, 2 ** 32 - 1, -1, 123456789]) {
      const random = mulberry32(seed), oracle = mulberryOracle(seed >>> 0);
      for (let i = 0; i < 50; i++) expect(random(), `seed ${seed}, draw ${i}`).toBe(oracle());
    }
  });

  it('a normal draw is Box–Muller: √(−2 ln(1 − u₁)) · cos(2π u₂), u₁ drawn first', () => {
    const fixed = (...us: number[]) => () => us.shift()!;
    expect(normal(fixed(0.5, 0))).toBeCloseTo(Math.sqrt(2 * Math.LN2), 12); // 1.17741…
    expect(normal(fixed(0.75, 0.5))).toBeCloseTo(-Math.sqrt(4 * Math.LN2), 12); // u = 0.25, cos π = −1
    expect(normal(fixed(0.5, 0.25))).toBeCloseTo(0, 12); // cos π/2
    expect(normal(fixed(0, 0))).toBeCloseTo(0, 12); // 1 − 0 = 1: ln 1 = 0, never ln 0 (a uniform is below 1, never 1)
  });
});
