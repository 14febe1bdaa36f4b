// A binary min-heap of (dueAt, id), with update and remove by id in O(log n).
// The loop keeps one entry per scheduled task (id = taskId) and one per waiting run.

export interface DueEntry {
  id: number;
  dueAt: number;
}

export class DueQueue {
  private heap: DueEntry[] = [];
  /** id -> index in heap; kept in step with every swap. */
  private index = new Map<number, number>();

  get size(): number {
    return this.heap.length;
  }

  has(id: number): boolean {
    return this.index.has(id);
  }

  dueAt(id: number): number | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.heap[i]!.dueAt;
  }

  peek(): DueEntry | undefined {
    return this.heap[0];
  }

  /** Inserts the id, or moves it to its new due instant. */
  update(id: number, dueAt: number): void {
    const i = this.index.get(id);
    if (i === undefined) {
      this.heap.push({ id, dueAt });
      this.index.set(id, this.heap.length - 1);
      this.up(this.heap.length - 1);
      return;
    }
    this.heap[i] = { id, dueAt };
    this.up(i);
    this.down(this.index.get(id)!);
  }

  remove(id: number): boolean {
    const i = this.index.get(id);
    if (i === undefined) return false;
    const last = this.heap.pop()!;
    this.index.delete(id);
    if (i < this.heap.length) {
      this.heap[i] = last;
      this.index.set(last.id, i);
      this.up(i);
      this.down(this.index.get(last.id)!);
    }
    return true;
  }

  pop(): DueEntry | undefined {
    const top = this.heap[0];
    if (top) this.remove(top.id);
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

  private less(a: DueEntry, b: DueEntry): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.index.set(b.id, i);
    this.index.set(a.id, j);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[parent]!)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < n && this.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
