// Turns the scheduler's many small requests into few HTTP calls: queued prompts with the same
// parameters are packed into one call (up to `batch`), at most `concurrency` calls per server are
// in flight, and each call goes to the least busy replica.

export interface Replica {
  index: number;
  baseUrl: string;
  inFlight: number;
}

/** Replicas of one model; the least busy one takes the next call (ties in turn). */
export class ReplicaPool {
  readonly replicas: Replica[];
  private turn = 0;

  constructor(baseUrls: string[]) {
    this.replicas = baseUrls.map((baseUrl, index) => ({ index, baseUrl, inFlight: 0 }));
  }

  /** Picks a replica, avoiding `avoid` (the one that just failed) when there is another. */
  acquire(avoid?: Replica): Replica {
    const candidates = this.replicas.length > 1 && avoid ? this.replicas.filter((r) => r !== avoid) : this.replicas;
    const n = candidates.length;
    let best = candidates[this.turn % n]!;
    for (let k = 1; k < n; k++) {
      const r = candidates[(this.turn + k) % n]!;
      if (r.inFlight < best.inFlight) best = r;
    }
    this.turn++;
    best.inFlight++;
    return best;
  }

  release(replica: Replica): void {
    replica.inFlight--;
  }
}

interface Pending<Item, Result> {
  group: string;
  item: Item;
  resolve: (r: Result) => void;
  reject: (e: unknown) => void;
}

/** A queue that packs items of one group into calls of at most `maxItems`, `maxCalls` at a time. */
export class CallPacker<Item, Result> {
  private readonly queue: Array<Pending<Item, Result>> = [];
  private running = 0;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly maxCalls: number,
    private readonly maxItems: number,
    private readonly call: (group: string, items: Item[]) => Promise<Result[]>,
  ) {}

  submit(group: string, item: Item): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the remote engine is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ group, item, resolve, reject });
      this.schedule();
    });
  }

  /** Waits one macrotask before packing, so everything submitted in the same turn shares calls. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.maxCalls && this.queue.length > 0) {
      const group = this.queue[0]!.group;
      const taken: Array<Pending<Item, Result>> = [];
      for (let i = 0; i < this.queue.length && taken.length < this.maxItems; ) {
        if (this.queue[i]!.group === group) taken.push(...this.queue.splice(i, 1));
        else i++;
      }
      this.running++;
      this.call(
        group,
        taken.map((p) => p.item),
      )
        .then(
          (results) => taken.forEach((p, i) => p.resolve(results[i]!)),
          (error) => taken.forEach((p) => p.reject(error)),
        )
        .finally(() => {
          this.running--;
          if (this.queue.length > 0) this.schedule();
        });
    }
  }

  /** Rejects everything still queued; calls in flight finish on their own. */
  close(): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the remote engine was closed'));
  }
}
