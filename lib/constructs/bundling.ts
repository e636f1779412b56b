import * as path from 'node:path';

/** Repository root: bundling resolves entries, aliases and the lock file from here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

const standIn = (file: string) => path.join(PROJECT_ROOT, 'lambdas', 'aws', file);

/**
 * The esbuild settings of every Lambda bundle, shared by ControlPlaneFunction (synth) and
 * `npm run bench` (which measures what is deployed):
 * - minified CJS for Node.js 24, preferring ES modules so the AWS SDK v3 tree-shakes;
 * - the SDK bundled (externalModules: []) so the tested version is the deployed version;
 * - three SDK dependencies replaced by stand-ins under lambdas/aws (esbuild aliases), each for
 *   something no control-plane function uses (test/lambdas/bundles.test.ts holds them to it):
 *   - @aws-sdk/credential-provider-node by an environment-only provider (lambda-credentials.ts):
 *     Lambda always passes credentials in the environment, and the rest of the default chain
 *     costs about 120 KB a bundle;
 *   - @smithy/core/event-streams, which the SDK's protocols import lazily for operations that
 *     stream events, by one that refuses them (no-event-streams.ts): 18 KiB a bundle;
 *   - mnemonist/lru-cache, the DynamoDB client's discovered-endpoint cache, by a Map
 *     (lru-cache.ts): 7 KiB a DynamoDB bundle.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  target: 'node24',
  mainFields: ['module', 'main'],
  externalModules: [] as string[],
  alias: {
    '@aws-sdk/credential-provider-node': standIn('lambda-credentials.ts'),
    '@smithy/core/event-streams': standIn('no-event-streams.ts'),
    'mnemonist/lru-cache': standIn('lru-cache.ts'),
  },
} as const;

/**
 * The budget every bundle is held to (test/lambdas/bundles.test.ts, `npm run bench`), a proxy for
 * cold start: module load grows about 1 ms per 10 KiB, measured by the bench. Issues 8 and 16 had
 * raised it to 360 KiB (Powertools metrics, the SNS client in Notify and Resolve); issue 18 brought
 * every bundle back under 300 KiB: the handlers read the alert catalogue's runtime half
 * (lib/config/alert-runtime.ts, not the alarm definitions) and the stand-ins above.
 */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;
