import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLING, PROJECT_ROOT } from '../lib/constructs/bundling';

/** Every deployed function: a folder under lambdas/ with an index.ts (core/ and aws/ are libraries). */
export function lambdaNames(): string[] {
  const dir = path.join(PROJECT_ROOT, 'lambdas');
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'index.ts')))
    .sort();
}

/**
 * Bundles one function exactly as ControlPlaneFunction does (minus source maps) into `outdir`,
 * with esbuild's metafile: which modules the bundle holds, who imports them and what each weighs
 * (`esbuild.analyzeMetafile` prints it).
 */
export async function bundleLambda(
  name: string,
  outdir: string,
): Promise<{ file: string; bytes: number; metafile: Metafile }> {
  const file = path.join(outdir, name, 'index.js');
  const { metafile } = await build({
    entryPoints: [path.join(PROJECT_ROOT, 'lambdas', name, 'index.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: LAMBDA_BUNDLING.minify,
    target: LAMBDA_BUNDLING.target,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    alias: LAMBDA_BUNDLING.alias,
    logLevel: 'silent',
    metafile: true,
  });
  return { file, bytes: fs.statSync(file).size, metafile };
}
