// Runs the `taskr` CLI in-process (runCli with captured output) or as a real child process.
import { spawn } from 'node:child_process';
import { runCli } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'taskr', ...args], {
    out: (s) => void out.push(s),
    err: (s) => void err.push(s),
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** `node bin/taskr.js ...args` with only the given TASKR_* variables set. */
export function cliProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TASKR_')),
  );
  const child = spawn(process.execPath, ['bin/taskr.js', ...args], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => resolve({ code: code ?? -1, out, err })),
  );
}
