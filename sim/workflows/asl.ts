import * as fs from 'node:fs';
import * as path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', 'state-machines');

/** A checked-in definition with its `${Placeholders}` filled as the Workflow construct would (ARN-shaped values). */
export function readDefinition(name: string): Record<string, unknown> {
  const text = fs
    .readFileSync(path.join(DIR, `${name}.asl.json`), 'utf8')
    .replace(
      /\$\{([A-Za-z0-9_]+)\}/g,
      (_, key: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${key}`,
    );
  return JSON.parse(text) as Record<string, unknown>;
}

export type JSONValue = null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };
