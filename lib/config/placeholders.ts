/**
 * Values reserved for documentation, which this repository's environments carry until an
 * organisation replaces them with its own: domain names under RFC 2606/6761's reserved names
 * (`example.com`, `.example`, `.test`, `.invalid`) and telephone numbers Ofcom keeps for drama
 * (+44 7700 900000 to 900999, the UK's documentation range). A deploy with them in place gives
 * people no pages, no SMS and no e-mail: synth says so (a warning: `cdk synth --strict` turns it
 * into a failure).
 */
const RESERVED_DOMAIN = /(^|[.@/])(example\.(com|org|net)|[a-z0-9-]+\.(example|test|invalid))(\b|$)/i;
const DRAMA_PHONE = /^\+447700900\d{3}$/;

/** Whether one string is a documentation placeholder. */
export function isPlaceholder(value: string): boolean {
  return RESERVED_DOMAIN.test(value) || DRAMA_PHONE.test(value);
}

/** The dotted paths of every placeholder string in a config value, with the value. */
export function placeholdersIn(value: unknown, path = ''): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return isPlaceholder(value) ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersIn(v, `${path}.${i}`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => placeholdersIn(v, path ? `${path}.${k}` : k));
  return [];
}
