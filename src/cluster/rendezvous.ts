// Rendezvous (highest-random-weight) hashing: each task goes to the live node with the
// highest weight hash(node, task). Every node computes the same owner from the same live
// set without talking to the others, and when a node leaves only its own tasks move.

/** FNV-1a over the string, then a murmur3 finaliser so near-equal inputs spread well. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function weight(node: string, key: number): number {
  return hash32(`${node}\u0000${key}`);
}

/** The owner of `key` among `nodes` (ties broken by name), or null when there is none. */
export function ownerOf(key: number, nodes: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  for (const node of nodes) {
    const w = weight(node, key);
    if (w > bestWeight || (w === bestWeight && best !== null && node < best)) {
      best = node;
      bestWeight = w;
    }
  }
  return best;
}
