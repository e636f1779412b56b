/**
 * Stands in for mnemonist/lru-cache in the Lambda bundles (an esbuild alias,
 * lib/constructs/bundling.ts). DynamoDB's client keeps discovered endpoints in
 * @aws-sdk/endpoint-cache, which holds them in mnemonist's LRU cache: typed-array linked lists and
 * the iterator helpers they bring, 7 KiB of every function that reads or writes DynamoDB. A Map
 * keeps insertion order, so it is an LRU cache in a few lines: the first key is the least recently
 * used. What EndpointCache calls (get, set, has, peek, clear) behaves as mnemonist's does
 * (test/lambdas/bundling-stand-ins.test.ts).
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (typeof capacity !== 'number' || capacity <= 0)
      throw new Error('mnemonist/lru-cache: capacity should be positive number.');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value, leaving the order alone. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Sets the value, the most recently used; at capacity, the least recently used goes. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  clear(): void {
    this.entries.clear();
  }
}
