// Timing with tinybench in rounds. Every round runs each task for a share of
// its time budget, so a burst of load from other processes on the machine
// lands on several rows instead of skewing the one that happened to run then.
import { Bench } from "tinybench";

/** Number of rounds each task's time budget is split into. */
export const ROUNDS = 3;

// Two-sided 95 % quantile of the normal distribution. With the minimum of 30
// samples per task, the Student's t value (2.045) is about 4 % larger.
const Z_95 = 1.96;

/**
 * Returns tinybench options for one round at one payload size. At 1 MiB a call
 * takes milliseconds, so fewer iterations still give enough samples there.
 */
export function roundOptions(size, timeMs) {
  if (size >= 1024 * 1024) {
    const time = (timeMs ?? 300) / ROUNDS;
    return { time, iterations: 10, warmupTime: 50, warmupIterations: 2 };
  }
  const time = (timeMs ?? 360) / ROUNDS;
  return { time, iterations: 64, warmupTime: 100, warmupIterations: 16 };
}

/** Pools the latency statistics of several rounds of one task. */
function poolRounds(rounds) {
  const count = rounds.reduce((sum, r) => sum + r.samplesCount, 0);
  const mean = rounds.reduce((sum, r) => sum + r.samplesCount * r.mean, 0) / count;
  // Sum of squared deviations: within each round, plus each round's shift.
  let squares = 0;
  for (const r of rounds) {
    squares += (r.samplesCount - 1) * r.variance;
    squares += r.samplesCount * (r.mean - mean) ** 2;
  }
  const standardError = Math.sqrt(squares / (count - 1) / count);
  return { mean, rme: (100 * Z_95 * standardError) / mean, samples: count };
}

/**
 * Times `tasks` (a map from name to function) in `ROUNDS` rounds with
 * tinybench. Returns a map from name to `{ ops, rme, samples }`. `ops` is
 * operations per second from the pooled mean latency, and `rme` the relative
 * 95 % margin of error of that mean, in percent.
 */
export async function timeInRounds(tasks, options) {
  const rounds = new Map([...tasks.keys()].map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ ...options, warmup: round === 0, throws: true });
    for (const [name, fn] of tasks) bench.add(name, fn);
    await bench.run();

    for (const task of bench.tasks) {
      const { result } = task;
      if (result.state !== "completed") {
        throw new Error(`task ${task.name} ended in state ${result.state}: ${result.error ?? ""}`);
      }
      rounds.get(task.name).push(result.latency);
    }
  }

  const results = new Map();
  for (const [name, latencies] of rounds) {
    const { mean, rme, samples } = poolRounds(latencies);
    results.set(name, { ops: 1000 / mean, rme, samples });
  }
  return results;
}
