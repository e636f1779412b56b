#!/usr/bin/env -S npx tsx
/**
 * `ops`: the operator's command line for the InfluenceGen control plane (docs/cli.md). One module
 * per command in bin/ops/commands/; bin/ops/cli.ts parses (yargs), checks every argument before
 * anything reaches AWS, and maps what happened to the exit code.
 */
import { silenceSdkNodeVersionWarning } from './ops/aws-warning';
import { runOps } from './ops/cli';

silenceSdkNodeVersionWarning();
runOps(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ops: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
