import { expect } from 'chai';
import { DueQueue } from '../../src/scheduler/dueQueue.js';

describe('scheduler/dueQueue', () => {
  it('pops in (dueAt, id) order', () => {
    const q = new DueQueue();
    q.update(3, 300);
    q.update(1, 100);
    q.update(2, 100);
    q.update(4, 50);
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()].map((e) => e?.id)).to.deep.equal([
      4,
      1,
      2,
      3,
      undefined,
    ]);
  });

  it('update moves an id both ways, remove takes it out', () => {
    const q = new DueQueue();
    for (let i = 1; i <= 10; i++) q.update(i, i * 10);
    q.update(10, 5);
    q.update(1, 1000);
    expect(q.remove(5)).to.equal(true);
    expect(q.remove(5)).to.equal(false);
    expect(q.size).to.equal(9);
    expect(q.dueAt(1)).to.equal(1000);
    expect(q.popDue(60).map((e) => e.id)).to.deep.equal([10, 2, 3, 4, 6]);
    expect(q.peek()?.id).to.equal(7);
  });

  it('stays a valid heap through 100k random operations', () => {
    const q = new DueQueue();
    const truth = new Map<number, number>();
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 100_000; i++) {
      const id = rand(20_000);
      if (rand(4) === 0) {
        q.remove(id);
        truth.delete(id);
      } else {
        const due = rand(1_000_000);
        q.update(id, due);
        truth.set(id, due);
      }
    }
    expect(q.size).to.equal(truth.size);
    const expected = [...truth].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([id]) => id);
    const got: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) got.push(e.id);
    expect(got).to.deep.equal(expected);
  });
});
