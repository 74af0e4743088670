// CPython random.Random fidelity. Vectors: spec lm-eval-semantics.md §4 (CPython 3.11.7); the ones
// marked "CPython" were produced with CPython 3.11.7's `random` module.
import { describe, expect, it } from 'vitest';
import { PyRandom, seedKey } from '../../src/metrics/pyrandom.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('PyRandom (spec §4 vectors)', () => {
  it('random() after seeding with 1234', () => {
    const rng = new PyRandom(1234);
    expect([rng.random(), rng.random(), rng.random()]).toEqual([0.9664535356921388, 0.4407325991753527, 0.007491470058587191]);
  });

  it('getrandbits(32) after seeding with 1234', () => {
    const rng = new PyRandom(1234);
    expect([rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(32)]).toEqual([4150886329, 3342196574, 1892932127]);
  });

  it('sample: the set branch (population larger than the set size)', () => {
    expect(new PyRandom(1234).sample(range(100), 5)).toEqual([99, 56, 14, 0, 11]);
    expect(new PyRandom(1234).sample(range(40398), 6)).toEqual([28883, 7657, 490, 5940, 38156, 2288]);
  });

  it('sample: the pool branch (small population)', () => {
    expect(new PyRandom(1234).sample(range(10), 3)).toEqual([7, 1, 0]);
  });

  it('choices(range(10), k=10) with seed 0', () => {
    expect(new PyRandom(0).choices(range(10), 10)).toEqual([8, 7, 4, 2, 5, 4, 7, 3, 4, 5]);
  });
});

describe('PyRandom (further CPython vectors)', () => {
  it('seeds wider than 32 bits use all their words; negative seeds use abs()', () => {
    const wide = new PyRandom(2 ** 40 + 5);
    expect([wide.random(), wide.random()]).toEqual([0.5043802970418443, 0.2686044399723282]);
    expect(new PyRandom(-1234).random()).toBe(0.9664535356921388);
    expect(new PyRandom(2 ** 32).random()).toBe(0.11299430095636409);
    expect(new PyRandom(2n ** 32n - 1n).random()).toBe(0.6353574441341173);
    expect(seedKey(2 ** 40 + 5)).toEqual([5, 256]);
    expect(seedKey(0)).toEqual([0]);
  });

  it('getrandbits above 32 bits fills words least significant first', () => {
    const rng = new PyRandom(1234);
    expect([rng.getrandbits(40), rng.getrandbits(53), rng.getrandbits(1)]).toEqual([858849378233, 1052496513718815, 0]);
  });

  it('randbelow rejects draws at or above n (randrange)', () => {
    const rng = new PyRandom(1234);
    expect(range(5).map(() => rng.randbelow(7))).toEqual([6, 3, 0, 0, 0]);
  });

  it('sample switches branch by 21 + 4^ceil(log4(3k))', () => {
    const rng = new PyRandom(42);
    // k = 22 gives a set size of 277, so 22 items use the pool; then 26 > 21 items use the set
    expect(rng.sample(range(22), 22).slice(0, 6)).toEqual([20, 3, 0, 8, 7, 17]);
    expect(rng.sample([...'abcdefghijklmnopqrstuvwxyz'], 4)).toEqual(['w', 'u', 'r', 'n']);
    expect(new PyRandom(0).sample(range(1000), 10)).toEqual([864, 394, 776, 911, 430, 41, 265, 988, 523, 497]);
  });

  it('sample refuses k larger than the population, like CPython', () => {
    expect(() => new PyRandom(1).sample([1, 2, 3], 4)).toThrow(/larger than population/);
  });
});
