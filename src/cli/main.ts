#!/usr/bin/env node
// The `taskr` command line (commander: the well-kept standard for Node CLIs). The program
// lives in ./program.ts; this entry point only runs it and sets the exit code. `serve` and
// `logs --follow` keep the process alive after runCli resolves.
import { runCli } from './program.js';

export { buildProgram, runCli } from './program.js';

const code = await runCli(process.argv);
if (code !== 0) process.exit(code);
