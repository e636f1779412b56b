import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';

const DIR = path.resolve(__dirname, '..', '..', 'state-machines');

/**
 * Loads a checked-in definition with its `${Placeholders}` filled as the Workflow construct would
 * (ARN-shaped values), ready for aws-local-stepfunctions.
 */
export function loadStateMachine(name: string): StateMachine {
  const text = fs
    .readFileSync(path.join(DIR, `${name}.asl.json`), 'utf8')
    .replace(
      /\$\{([A-Za-z0-9_]+)\}/g,
      (_, key: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${key}`,
    );
  return new StateMachine(JSON.parse(text));
}
