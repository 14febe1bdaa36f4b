// Where the CLI writes. Commands print through `io()`, so the whole CLI can run in-process
// (tests) with its output captured, and as `taskr` on the real stdout/stderr.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

let current: CliIo = processIo;

export function io(): CliIo {
  return current;
}

/** Runs fn with output going to `target`; restores the previous target afterwards. */
export async function withIo<T>(target: CliIo, fn: () => Promise<T>): Promise<T> {
  const previous = current;
  current = target;
  try {
    return await fn();
  } finally {
    current = previous;
  }
}
