import { describe, expect, it } from 'vitest';
import {
  benchmarksMarkdown,
  type BenchCase,
  ratioText,
  runBenchmarks,
  throughputText,
} from '../../src/bench/harness.js';

/** Returns a function that spins for about `ms` milliseconds per call. */
function busy(ms: number): () => void {
  return () => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
}

const CASE: BenchCase = {
  model: 'Toy',
  workload: 'one spin',
  unit: 'samples/s',
  unitsPerCall: 4,
  ours: { name: 'modelwerk', setup: () => busy(1) },
  peers: [
    { name: 'slow peer', setup: () => busy(2) },
    {
      name: 'broken peer',
      setup: () => {
        throw new Error('peer not installed');
      },
    },
  ],
};

describe('runBenchmarks', () => {
  it('times every implementation, ours first', async () => {
    const rows = await runBenchmarks([CASE], { timeMs: 60 });
    expect(rows.map((row) => row.implementation)).toEqual([
      'modelwerk',
      'slow peer',
      'broken peer',
    ]);
    expect(rows[0].ratio).toBe(1);
  });

  it('measures throughput in units per second', async () => {
    const rows = await runBenchmarks([CASE], { timeMs: 60 });
    // 4 samples per call at about 1 ms per call: about 4000 samples/s, less with overhead
    expect(rows[0].throughput).toBeGreaterThan(1000);
    expect(rows[0].throughput).toBeLessThan(4200);
    // The peer spins twice as long per call, so its ratio is near 0.5; the wide bounds leave
    // room for a busy machine that pauses one spin more than the other.
    expect(rows[1].ratio).toBeGreaterThan(0.2);
    expect(rows[1].ratio).toBeLessThan(0.8);
  });

  it('repeats a fast step within a sample', async () => {
    let calls = 0;
    const fast: BenchCase = {
      ...CASE,
      unitsPerCall: 1,
      ours: { name: 'modelwerk', setup: () => () => void calls++ },
      peers: [],
    };
    const rows = await runBenchmarks([fast], { timeMs: 60 });
    // Timed one call at a time, the clock reads would cap this near a few million per second;
    // a counter increment repeated within each sample runs far faster.
    expect(rows[0].throughput).toBeGreaterThan(1e7);
    expect(calls).toBeGreaterThan(1000);
  });

  it('records a failing implementation', async () => {
    const rows = await runBenchmarks([CASE], { timeMs: 60 });
    expect(rows[2].throughput).toBeUndefined();
    expect(rows[2].error).toBe('peer not installed');
  });
});

describe('benchmarksMarkdown', () => {
  const machine = { cpu: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'linux 6.0' };

  it('names the machine and the command', () => {
    const page = benchmarksMarkdown([], machine, 'npm run bench');
    expect(page).toContain('`npm run bench` on Test CPU (2 cores), Node v20.0.0, linux 6.0');
  });

  it('writes one table row per implementation', () => {
    const page = benchmarksMarkdown(
      [
        {
          model: 'Toy',
          workload: 'one spin',
          implementation: 'modelwerk',
          unit: 'samples/s',
          throughput: 4000,
          marginPercent: 1.25,
          ratio: 1,
        },
        {
          model: 'Toy',
          workload: 'one spin',
          implementation: 'peer',
          unit: 'samples/s',
          error: 'peer not installed',
        },
      ],
      machine,
      'npm run bench',
    );
    expect(page).toMatch(
      /\| Toy +\| one spin +\| modelwerk +\| +4,000 samples\/s \| +1\.3% \| +1\.00x \|/,
    );
    expect(page).toContain('failed: peer not installed');
  });
});

describe('ratioText', () => {
  it('keeps two significant digits for small ratios', () => {
    expect(ratioText(1)).toBe('1.00x');
    expect(ratioText(0.374)).toBe('0.37x');
    expect(ratioText(0.00213)).toBe('0.0021x');
  });
});

describe('throughputText', () => {
  it('uses fewer decimals for larger values', () => {
    expect(throughputText(12345.6, 'samples/s')).toBe('12,346 samples/s');
    expect(throughputText(42.42, 'steps/s')).toBe('42.4 steps/s');
    expect(throughputText(3.214, 'steps/s')).toBe('3.21 steps/s');
  });
});
