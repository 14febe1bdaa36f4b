import { expect } from 'chai';
import { ownerOf } from '../../src/cluster/rendezvous.js';

describe('cluster: rendezvous hashing', () => {
  const ids = Array.from({ length: 3000 }, (_, i) => i + 1);

  it('spreads task ids evenly over the nodes', () => {
    const nodes = ['a', 'b', 'c'];
    const counts = new Map<string, number>();
    for (const id of ids)
      counts.set(ownerOf(id, nodes)!, (counts.get(ownerOf(id, nodes)!) ?? 0) + 1);
    for (const n of nodes) expect(counts.get(n)! / ids.length, n).to.be.within(0.28, 0.39);
  });

  it('when a node leaves, only its own tasks move; the order of the list does not matter', () => {
    const before = ids.map((id) => ownerOf(id, ['a', 'b', 'c']));
    const after = ids.map((id) => ownerOf(id, ['c', 'a']));
    for (const [i, owner] of before.entries()) {
      if (owner !== 'b') expect(after[i], `task ${ids[i]}`).to.equal(owner);
      else expect(['a', 'c']).to.include(after[i]);
    }
    expect(ownerOf(1, [])).to.equal(null);
    expect(ownerOf(1, ['solo'])).to.equal('solo');
  });
});
