// `npm run bench [-- <bench>...] [--docs]`: runs the benchmarks (all by default: lateness,
// burst, scale, cluster), prints a table for each and, with --docs, writes the figures and the
// machine description into docs/benchmarks.md. Exits 1 when a target is missed.
import { burstBench } from './burst.js';
import { clusterBench } from './cluster.js';
import { cleanupAll, installCleanupHandlers, withTimeout } from './cleanup.js';
import { updateDocs } from './docs.js';
import { latenessBench } from './lateness.js';
import { describeMachine } from './machine.js';
import { scaleBench } from './scale.js';
import { allPassed, formatTable, type BenchResult } from './table.js';

/** No bench may run longer than this (each also bounds its own waits). */
const BENCH_TIMEOUT_MS = 10 * 60_000;

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  lateness: () => latenessBench(),
  burst: () => burstBench(),
  scale: () => scaleBench(),
  cluster: () => clusterBench(),
};

function parseArgs(argv: string[]): { names: string[]; docs: boolean } {
  const docs = argv.includes('--docs');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
    );
    process.exit(2);
  }
  return { names: names.length ? names : Object.keys(BENCHES), docs };
}

/** A bench that throws or overruns is reported as a failed table, and the others still run. */
async function runOne(name: string): Promise<BenchResult> {
  try {
    return await withTimeout(BENCHES[name]!(), BENCH_TIMEOUT_MS, `the ${name} bench`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      id: name,
      title: `${name} (did not complete)`,
      rows: [
        {
          measure: 'bench error',
          value: message.split('\n')[0]!,
          target: 'completes',
          pass: false,
        },
      ],
      notes: message.split('\n').slice(1, 10),
    };
  }
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const { names, docs } = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  console.log(`Taskr benchmarks on ${machine.summary}\n`);
  if (machine.busy)
    console.log(
      'warning: the machine is busy (load above half the cores); figures will be pessimistic\n',
    );
  const results: BenchResult[] = [];
  for (const name of names) {
    const started = performance.now();
    console.log(`running ${name} ...`);
    const result = await runOne(name);
    results.push(result);
    console.log(
      `${formatTable(result)}\n  (bench took ${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
  if (docs) {
    const file = await updateDocs(results, machine);
    console.log(`figures written to ${file}`);
  }
  process.exitCode = results.every(allPassed) ? 0 : 1;
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  })
  // A timed-out bench may still hold timers or a child: clean up and leave.
  .finally(() => {
    cleanupAll();
    process.exit();
  });
