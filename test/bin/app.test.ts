import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cdkJsonContext } from '../infra/synth';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, unknown>, env: Record<string, string> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-app-'));
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/app.ts'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context }),
        ...env,
      },
    },
  );
  const files = fs.readdirSync(outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ...result, files };
}

describe('bin/app.ts', () => {
  test('synthesizes the four stacks of the named environment, cdk-nag clean', () => {
    const { status, stderr, files } = runApp({ env: 'staging' }, { CDK_DEFAULT_REGION: 'eu-central-1' });
    expect(stderr).not.toMatch(/ERROR/);
    expect(status).toBe(0);
    expect(files.filter((f) => f.endsWith('.template.json')).sort()).toEqual([
      'InfluenceGen-staging-ControlPlane.template.json',
      'InfluenceGen-staging-Data.template.json',
      'InfluenceGen-staging-Network.template.json',
      'InfluenceGen-staging-Workloads.template.json',
    ]);
  });

  test('a bad configuration fails synth with one clear message and writes no template', () => {
    const { status, stderr, files } = runApp({ env: 'qa' }, { CDK_DEFAULT_REGION: 'eu-central-1' });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe('Unknown environment "qa": expected one of prod, staging, dev');
    expect(files.filter((f) => f.endsWith('.template.json'))).toEqual([]);
  });

  test('a bad context value is reported by field', () => {
    const { status, stderr } = runApp(
      { env: 'prod', certificateArn: 'not-an-arn' },
      { CDK_DEFAULT_REGION: 'eu-central-1' },
    );
    expect(status).toBe(1);
    expect(stderr).toContain('odoo.certificateArn: must be an ACM ARN');
  });
});
