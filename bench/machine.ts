// The machine the figures were taken on: what `nproc`, `free -h` and /proc/cpuinfo say,
// plus the Node version and the kernel.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, type } from 'node:os';

export interface Machine {
  nproc: string;
  cpuModel: string;
  /** `free -h` output as printed. */
  memory: string;
  node: string;
  os: string;
  /** 1/5/15-minute load averages when the run started (other work skews the figures). */
  load: string;
  /** True when the 1-minute load is above half the cores: figures are likely pessimistic. */
  busy: boolean;
  /** One line for the console header. */
  summary: string;
}

function run(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 5_000 }).trimEnd();
  } catch {
    return null;
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line ? line.split(':').slice(1).join(':').trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const nproc = run('nproc', []) ?? String(availableParallelism());
  const memory = run('free', ['-h']) ?? 'unknown';
  const total = /^Mem:\s+(\S+)/m.exec(memory)?.[1] ?? '?';
  const model = cpuModel();
  const os = `${type()} ${release()}`;
  const avg = loadavg();
  const load = avg.map((l) => l.toFixed(2)).join(' / ');
  const busy = avg[0]! > Number(nproc) / 2;
  return {
    nproc,
    cpuModel: model,
    memory,
    node: process.version,
    os,
    load,
    busy,
    summary: `${model}, nproc ${nproc}, ${total} RAM, Node ${process.version}, ${os}, load ${load}`,
  };
}
