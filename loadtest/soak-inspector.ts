/**
 * The soak server's V8 heap through the Node inspector (the server is started with
 * `--inspect=127.0.0.1:<port>`; no server code is involved): a full collection followed by the
 * heap it leaves (the live set, without the saw-tooth between collections), and heap snapshots
 * counted per constructor. Uses Node's global WebSocket.
 */
import { createWriteStream } from "node:fs";

const MiB = 2 ** 20;

/** The heap right after a full collection, `tSec` into the run. */
export type PostGcReading = {
  tSec: number;
  usedMiB: number;
  /** Heap committed by V8 after the collection. */
  totalMiB: number;
  /**
   * From sending `HeapProfiler.collectGarbage` to its reply: the pause it caused, plus the wait
   * for the server's event loop to reach the collection (at most one tick's work).
   */
  pauseMs: number;
};

/** Objects of one kind in a heap snapshot: `count` nodes of `selfBytes` in all. */
export type ConstructorCount = { count: number; selfBytes: number };

type Pending = { resolve(result: unknown): void; reject(err: Error): void };

export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, (params: Record<string, unknown>) => void>();
  private readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(String(e.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
      };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`inspector: ${msg.error.message}`));
        else p?.resolve(msg.result);
      } else if (msg.method) this.handlers.get(msg.method)?.(msg.params ?? {});
    });
    ws.addEventListener("close", () => {
      for (const p of this.pending.values()) p.reject(new Error("inspector: connection closed"));
      this.pending.clear();
    });
  }

  /** Connects to the first target of the inspector listening on 127.0.0.1:`port`. */
  static async connect(port: number): Promise<Inspector> {
    const targets = (await fetch(`http://127.0.0.1:${port}/json/list`).then((r) => r.json())) as {
      webSocketDebuggerUrl?: string;
    }[];
    const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    if (!url) throw new Error(`no inspector target on port ${port}`);
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error(`inspector: cannot open ${url}`)), {
        once: true,
      });
    });
    return new Inspector(ws);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * A full collection (V8's low-memory one, several mark-compacts), then the heap it left. V8
   * runs the collection as a task on the server's event loop and replies once it is done, so the
   * heap is read only after the reply.
   */
  async collectGarbage(tSec: number): Promise<PostGcReading> {
    const started = performance.now();
    await this.send("HeapProfiler.collectGarbage");
    const pauseMs = performance.now() - started;
    const heap = await this.send<{ usedSize: number; totalSize: number }>("Runtime.getHeapUsage");
    const r = (n: number) => Math.round(n * 10) / 10;
    return {
      tSec: r(tSec),
      usedMiB: r(heap.usedSize / MiB),
      totalMiB: r(heap.totalSize / MiB),
      pauseMs: r(pauseMs),
    };
  }

  /**
   * A heap snapshot (V8 collects first), saved to `file` when given (it opens in Chrome
   * DevTools' Memory tab) and counted per constructor.
   */
  async heapSnapshot(file?: string): Promise<Map<string, ConstructorCount>> {
    const chunks: string[] = [];
    const out = file ? createWriteStream(file) : undefined;
    this.handlers.set("HeapProfiler.addHeapSnapshotChunk", (p) => {
      chunks.push(p.chunk as string);
      out?.write(p.chunk as string);
    });
    try {
      await this.send("HeapProfiler.enable");
      await this.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    } finally {
      this.handlers.delete("HeapProfiler.addHeapSnapshotChunk");
      await new Promise<void>((resolve) => (out ? out.end(resolve) : resolve()));
    }
    return countByConstructor(JSON.parse(chunks.join("")) as HeapSnapshot);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.addEventListener("close", () => resolve(), { once: true });
      this.ws.close();
    });
  }
}

/** The parts of V8's `.heapsnapshot` JSON that per-constructor counts need. */
export type HeapSnapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};

/**
 * Nodes and self size per constructor, as DevTools' summary groups them: objects and native
 * objects by constructor name, closures by function name, everything else by node type.
 */
export function countByConstructor(s: HeapSnapshot): Map<string, ConstructorCount> {
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const counts = new Map<string, ConstructorCount>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt!]!]!;
    const name = s.strings[s.nodes[i + nameAt!]!]!;
    const key =
      type === "object" || type === "native"
        ? name
        : type === "closure"
          ? `(closure) ${name || "anonymous"}`
          : `(${type})`;
    const c = counts.get(key) ?? { count: 0, selfBytes: 0 };
    c.count += 1;
    c.selfBytes += s.nodes[i + sizeAt!]!;
    counts.set(key, c);
  }
  return counts;
}

/** The constructors that grew most between two snapshots, by self size then count. */
export function heapGrowth(
  before: Map<string, ConstructorCount>,
  after: Map<string, ConstructorCount>,
  top = 25,
) {
  const rows = [...new Set([...before.keys(), ...after.keys()])].map((name) => {
    const b = before.get(name) ?? { count: 0, selfBytes: 0 };
    const a = after.get(name) ?? { count: 0, selfBytes: 0 };
    return {
      name,
      countBefore: b.count,
      countAfter: a.count,
      countDelta: a.count - b.count,
      selfKiBDelta: Math.round((a.selfBytes - b.selfBytes) / 1024),
    };
  });
  const total = (m: Map<string, ConstructorCount>) =>
    [...m.values()].reduce((t, c) => t + c.selfBytes, 0) / MiB;
  return {
    totalMiBBefore: Math.round(total(before) * 10) / 10,
    totalMiBAfter: Math.round(total(after) * 10) / 10,
    grew: rows
      .filter((r) => r.selfKiBDelta > 0 || r.countDelta > 0)
      .sort((x, y) => y.selfKiBDelta - x.selfKiBDelta || y.countDelta - x.countDelta)
      .slice(0, top),
  };
}

/**
 * Post-GC readings and snapshots, one at a time: `start` takes a reading every `everySec` into
 * `readings`; `read` takes one now (kept by the caller); a failed one is null, not fatal.
 */
export function postGcSampler(inspector: Inspector, elapsedSec: () => number) {
  const readings: PostGcReading[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const queue = <T>(job: () => Promise<T>): Promise<T | null> => {
    const next = chain.then(job).then(
      (r) => r,
      () => null,
    );
    chain = next;
    return next;
  };
  const read = () => queue(() => inspector.collectGarbage(elapsedSec()));
  return {
    readings,
    read,
    snapshot: (file?: string) => queue(() => inspector.heapSnapshot(file)),
    start(everySec: number) {
      timer = setInterval(() => void read().then((r) => r && readings.push(r)), everySec * 1000);
    },
    async stop() {
      clearInterval(timer);
      await chain;
    },
  };
}

export type PostGcSampler = ReturnType<typeof postGcSampler>;
