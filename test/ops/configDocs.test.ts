// Every config key (with its default) is documented in docs/configuration.md's table, and
// every TASKR_* variable the config reads is named there.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/config.js';

function leafPaths(value: unknown, prefix = ''): string[] {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  ) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('docs/configuration.md', () => {
  const docs = readFileSync('docs/configuration.md', 'utf8');
  const rows = docs.split('\n').filter((l) => l.startsWith('| `'));
  const documented = new Set(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1]));

  it('has a table row for every config key', () => {
    const keys = leafPaths(loadConfig({ env: {}, file: null }));
    expect(keys.length).to.be.greaterThan(20);
    expect(keys.filter((k) => !documented.has(k))).to.deep.equal([]);
  });

  it('names every TASKR_* variable the config module reads', () => {
    const source = readFileSync('src/config/config.ts', 'utf8');
    const vars = [...new Set(source.match(/TASKR_[A-Z_]+/g))];
    expect(vars).to.include('TASKR_SHUTDOWN_GRACE_MS');
    expect(vars.filter((v) => !docs.includes(`\`${v}\``))).to.deep.equal([]);
  });
});
