import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layeringViolations, tsFilesUnder, type LayerRule } from '../support/import-graph';

const ROOT = path.resolve(__dirname, '..', '..');

/** What the infrastructure is made of: no Lambda bundle and no simulator run may load it. */
const CDK = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'lib/constructs/', 'lib/stacks/'];

/**
 * The house's layering, checked over the whole import graph (an import of an import counts):
 * - bundles and the simulator carry no CDK (a bundle would grow by megabytes, the simulator would
 *   load the construct library to read a number);
 * - core knows no AWS: no SDK client, no module of lambdas/aws;
 * - constructs never import a stack (shared names live in lib/config).
 */
const RULES: LayerRule[] = [
  { files: [...tsFilesUnder(ROOT, 'lambdas'), ...tsFilesUnder(ROOT, 'sim')], forbidden: CDK },
  {
    files: tsFilesUnder(ROOT, 'lambdas/core'),
    forbidden: [
      '@aws-sdk/client-auto-scaling',
      '@aws-sdk/client-cloudwatch',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-ecs',
      '@aws-sdk/client-lambda',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-sfn',
      '@aws-sdk/client-sns',
      '@aws-sdk/client-sts',
      '@aws-sdk/lib-dynamodb',
      'lambdas/aws/',
    ],
  },
  { files: tsFilesUnder(ROOT, 'lib/constructs'), forbidden: ['lib/stacks/'] },
  { files: tsFilesUnder(ROOT, 'lib/config'), forbidden: CDK },
];

describe('layering', () => {
  test('no file under lambdas/ or sim/ reaches the CDK; core reaches no AWS; constructs reach no stack', () => {
    const violations = layeringViolations(ROOT, RULES).map(
      (v) => `${v.from} reaches ${v.forbidden}: ${v.chain.join(' -> ')}`,
    );
    expect(violations).toEqual([]);
  });

  test('the rules cover the files they are about', () => {
    expect(RULES[0]?.files).toEqual(expect.arrayContaining(['lambdas/alarm-router/index.ts', 'sim/main.ts']));
    expect(RULES[1]?.files.length).toBeGreaterThan(20);
  });

  test('the check finds an import of an import, and names the chain', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layering-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write(
      'sim/main.ts',
      "import { settings } from '../lib/constructs/workflow';\nexport const x = settings;\n",
    );
    write(
      'lib/constructs/workflow.ts',
      "import { Stack } from 'aws-cdk-lib';\nexport const settings = Stack;\n",
    );
    write('lambdas/handler.ts', "import type { T } from './types';\nexport const y: T = 1;\n");
    write('lambdas/types.ts', "export type T = import('aws-cdk-lib/aws-ecs').Cluster | number;\n");
    write('lambdas/fine.ts', "import * as fs from 'node:fs';\nexport const z = fs;\n");
    const found = layeringViolations(dir, [
      { files: ['sim/main.ts', 'lambdas/handler.ts', 'lambdas/fine.ts'], forbidden: CDK },
    ]);
    expect(found).toEqual([
      {
        from: 'sim/main.ts',
        chain: ['sim/main.ts', 'lib/constructs/workflow.ts'],
        forbidden: 'lib/constructs/',
      },
      {
        from: 'lambdas/handler.ts',
        chain: ['lambdas/handler.ts', 'lambdas/types.ts', 'aws-cdk-lib'],
        forbidden: 'aws-cdk-lib',
      },
    ]);
  });
});
