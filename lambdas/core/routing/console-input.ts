import type * as z from 'zod/mini';
import { InvalidInputError } from '../invalid-input';

/**
 * A workflow's input typed by hand in the console or sent by `ops`: parsed with its strict
 * schema, or an InvalidInput error naming the field (a misspelt field is named with the fields
 * the workflow knows, an invalid value with what it must be).
 */
export function parseConsoleInput<T>(
  schema: z.ZodMiniType<T>,
  raw: unknown,
  what: string,
  mustBe: (issue: { code: string; path: readonly PropertyKey[] }) => string | undefined = () => undefined,
): T {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const fields =
    'shape' in schema ? Object.keys((schema as unknown as { shape: object }).shape).join(', ') : '';
  if (issue?.code === 'unrecognized_keys')
    throw new InvalidInputError(`input.${issue.keys.join(', ')}: not a field of ${what} (${fields})`);
  const path = issue?.path.map(String).join('.') ?? '';
  throw new InvalidInputError(`input.${path}: ${(issue && mustBe(issue)) ?? issue?.message ?? 'invalid'}`);
}
