/**
 * A Lambda handler built on its first invocation (not at import, so a configuration error is that
 * invocation's error) and reused afterwards. On its own module so that importing it pulls no
 * client into a bundle.
 */
export function lazyHandler<D, E, R>(
  deps: () => D,
  build: (deps: D) => (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return async (event: E) => {
    built ??= build(deps());
    return built(event);
  };
}
