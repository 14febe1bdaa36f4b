// A binary min-heap of (dueAt, id), with update and remove by id in O(log n).
// The loop keeps one entry per scheduled task (id = taskId) and one per waiting run.

export interface DueEntry {
  id: number;
  dueAt: number;
}

/** A heap slot: the entry knows its own index, so a swap moves no Map entries. */
interface Slot extends DueEntry {
  pos: number;
}

export class DueQueue {
  private heap: Slot[] = [];
  /** id -> its slot (the slot's `pos` is kept in step with every move). */
  private index = new Map<number, Slot>();

  get size(): number {
    return this.heap.length;
  }

  has(id: number): boolean {
    return this.index.has(id);
  }

  dueAt(id: number): number | undefined {
    return this.index.get(id)?.dueAt;
  }

  peek(): DueEntry | undefined {
    return this.heap[0];
  }

  /** Inserts the id, or moves it to its new due instant. */
  update(id: number, dueAt: number): void {
    const slot = this.index.get(id);
    if (slot === undefined) {
      const added: Slot = { id, dueAt, pos: this.heap.length };
      this.heap.push(added);
      this.index.set(id, added);
      this.up(added.pos);
      return;
    }
    slot.dueAt = dueAt;
    this.up(slot.pos);
    this.down(slot.pos);
  }

  remove(id: number): boolean {
    const slot = this.index.get(id);
    if (slot === undefined) return false;
    this.index.delete(id);
    this.take(slot);
    return true;
  }

  pop(): DueEntry | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.index.delete(top.id);
    this.take(top);
    return top;
  }

  /** Removes and returns every entry with dueAt <= now, earliest first. */
  popDue(now: number): DueEntry[] {
    const out: DueEntry[] = [];
    while (this.heap.length > 0 && this.heap[0]!.dueAt <= now) out.push(this.pop()!);
    return out;
  }

  clear(): void {
    this.heap = [];
    this.index.clear();
  }

  /** Takes the slot out of the heap (the index entry is already gone). */
  private take(slot: Slot): void {
    const i = slot.pos;
    const last = this.heap.pop()!;
    slot.pos = -1;
    if (last !== slot) {
      this.heap[i] = last;
      last.pos = i;
      this.up(i);
      this.down(last.pos);
    }
  }

  private less(a: DueEntry, b: DueEntry): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
  }

  private up(i: number): void {
    const heap = this.heap;
    const slot = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.less(slot, p)) break;
      heap[i] = p;
      p.pos = i;
      i = parent;
    }
    heap[i] = slot;
    slot.pos = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const slot = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(heap[r]!, heap[l]!) ? r : l;
      const child = heap[c]!;
      if (!this.less(child, slot)) break;
      heap[i] = child;
      child.pos = i;
      i = c;
    }
    heap[i] = slot;
    slot.pos = i;
  }
}
