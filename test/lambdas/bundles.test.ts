import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_BUDGET_BYTES } from '../../lib/constructs/bundling';
import { bundleLambda, lambdaNames } from '../../scripts/lambda-bundles';

/** Sizes are deterministic, so the budget is a test; load times are only measured (npm run bench). */
describe('Lambda bundles', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every deployed function has a bundle', () => {
    expect(lambdaNames()).toEqual([
      'alarm-router',
      'backup-assess',
      'db-bootstrap',
      'escalation-await-ack',
      'escalation-notify',
      'escalation-register',
      'escalation-resolve',
      'filestore-restore-validate',
      'incident-ack',
      'odoo-init-runner',
      'rds-ca-bundle',
      'restore-validate',
      'scale-observe',
      'scale-plan',
      'scale-record',
      'scale-verify',
      'stall-act',
      'stall-check',
      'stall-close',
    ]);
  });

  test.each(lambdaNames())(
    `%s stays within ${BUNDLE_BUDGET_BYTES / 1024} KiB, with the SDK bundled`,
    async (name) => {
      const { file, bytes } = await bundleLambda(name, outdir);
      expect(bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      const code = fs.readFileSync(file, 'utf8');
      expect(code).not.toMatch(/require\("@aws-sdk\//);
      // The environment-only credentials provider replaced the default chain.
      expect(code).not.toContain('credential-provider-sso');
    },
  );
});
