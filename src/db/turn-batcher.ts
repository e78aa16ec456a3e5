/**
 * Gathers the calls made during one turn of the event loop and runs them as one: `run` gets every
 * key asked since the last batch, in order, and returns one answer per key at the same index.
 * Requests read from many sockets in one poll phase therefore share one database round trip; the
 * batch starts in the check phase that follows (setImmediate), so a lone call waits no timer.
 * If `run` rejects, every call of that batch rejects with its error.
 */
export function createTurnBatcher<K, V>(run: (keys: K[]) => Promise<V[]>): (key: K) => Promise<V> {
  let keys: K[] = [];
  let waiters: { resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];

  const flush = () => {
    const batchKeys = keys;
    const batchWaiters = waiters;
    keys = [];
    waiters = [];
    run(batchKeys).then(
      (values) => {
        for (let i = 0; i < batchWaiters.length; i++) batchWaiters[i]!.resolve(values[i]!);
      },
      (error: unknown) => {
        for (const waiter of batchWaiters) waiter.reject(error);
      },
    );
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      if (keys.length === 0) setImmediate(flush);
      keys.push(key);
      waiters.push({ resolve, reject });
    });
}
