import MnemonistLRUCache from 'mnemonist/lru-cache';
import LRUCache from '../../lambdas/aws/lru-cache';
import {
  EventStreamSerde,
  eventStreamSerdeProvider,
  resolveEventStreamSerdeConfig,
} from '../../lambdas/aws/no-event-streams';

/** The stand-ins lib/constructs/bundling.ts aliases into the Lambda bundles. */
describe("the LRU cache standing in for mnemonist's", () => {
  /** A deterministic pseudo-random sequence (a linear congruential generator). */
  const random = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  test.each([1, 2, 3, 8])(
    'answers every get, set, has, peek and clear as mnemonist does (capacity %i)',
    (capacity) => {
      const next = random(capacity);
      const ours = new LRUCache<string, number>(capacity);
      const theirs = new MnemonistLRUCache<string, number>(capacity);
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
      // Each step's answer and the state after it (every key's value, size), from each cache.
      const trace = (cache: typeof ours | typeof theirs, answer: unknown) =>
        JSON.stringify([answer, cache.size, keys.map((k) => cache.peek(k) ?? null)]);
      const ourTrace: string[] = [];
      const theirTrace: string[] = [];
      for (let step = 0; step < 5000; step++) {
        const key = keys[Math.floor(next() * keys.length)] as string;
        const op = next();
        const apply = (cache: typeof ours | typeof theirs) =>
          op < 0.4
            ? cache.set(key, step) && undefined
            : op < 0.7
              ? cache.get(key)
              : op < 0.85
                ? cache.has(key)
                : op < 0.995
                  ? cache.peek(key)
                  : cache.clear();
        ourTrace.push(trace(ours, apply(ours)));
        theirTrace.push(trace(theirs, apply(theirs)));
      }
      expect(ourTrace).toEqual(theirTrace);
    },
  );

  test('refuses a capacity that is not positive, as mnemonist does', () => {
    expect(() => new LRUCache(0)).toThrow('capacity should be positive number');
    expect(() => new MnemonistLRUCache(0)).toThrow('capacity should be positive number');
  });
});

describe('the event streams standing in for @smithy/core/event-streams', () => {
  test('refuse to serialise or read a stream, saying why', () => {
    const why = /event streams are not bundled in the control plane Lambda functions/;
    expect(() => eventStreamSerdeProvider()).toThrow(why);
    expect(() => new EventStreamSerde()).toThrow(why);
    expect(() => resolveEventStreamSerdeConfig()).toThrow(why);
  });
});
