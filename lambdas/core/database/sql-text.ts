/**
 * Quoting for the SQL the bootstrap writes. Names are validated before they get here
 * (bootstrap-plan.ts), and are quoted all the same, so that a name can never end a statement.
 */

/** A PostgreSQL identifier, always quoted: `odoo` -> `"odoo"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A PostgreSQL string literal. With a backslash it becomes an escape string (E'...') whose
 * backslashes are doubled, so the result means the same text whatever standard_conforming_strings
 * is (node-postgres's escapeLiteral does the same).
 */
export function quoteLiteral(text: string): string {
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/**
 * An anonymous PL/pgSQL block: `body` is its statements, or with `declares` a whole block of its own
 * (DECLARE ... BEGIN ... END). It is dollar-quoted with a tag that does not occur in it, so nothing
 * inside can close the quote early.
 */
export function doBlock(body: string, options: { declares?: boolean } = {}): string {
  const block = options.declares ? body : `BEGIN\n${body}\nEND;`;
  let tag = '$bootstrap$';
  for (let n = 1; block.includes(tag); n++) tag = `$bootstrap${n}$`;
  return `DO ${tag}\n${block}\n${tag}`;
}
