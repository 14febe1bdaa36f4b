import { expect } from 'chai';
import type { ActionResult } from '../../src/domain/types.js';
import { resultsJson } from '../../src/store/typeorm/resultsJson.js';
import { parseResults } from '../../src/store/typeorm/rows.js';
import { actionResult as result } from './fixtures.js';

// The hand-built `results` JSON must be byte for byte what JSON.stringify writes.
describe('store: the results column JSON', () => {
  const cases: [string, ActionResult[]][] = [
    ['no actions', []],
    ['one result', [result()]],
    [
      'awkward text, nulls and non-finite numbers',
      [
        result({
          actionId: null,
          actionClassName: 'Web"hook\\',
          status: 'failed',
          exitCode: Number.NaN,
          httpStatus: 503,
          error: 'line 1\nline 2\t"quoted" \u2028 é 😀 \u0000',
          output: '\u001b[31mred\u001b[0m\r\n',
          outputTruncated: true,
          finishedAt: null,
        }),
        result({ order: 1, status: 'not_run', exitCode: null, startedAt: new Date(Number.NaN) }),
      ],
    ],
  ];
  for (const [name, results] of cases) {
    it(`${name}: the same text as JSON.stringify, and it reads back`, () => {
      const text = resultsJson(results);
      expect(text).to.equal(JSON.stringify(results));
      expect(parseResults(text).map((r) => r.output)).to.deep.equal(results.map((r) => r.output));
    });
  }
});
