import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderReport } from './report/html';
import type { ComponentResult } from './run/simulate';
import type { BackupScenarioResult } from './run/backup-scenario';
import type { StallCaseResult } from './run/stall-scenario';
import { POLICY_NAMES } from './run/simulate';

/** Writes summary.json and report.html into `outdir`; returns their paths. */
export function writeResults(
  outdir: string,
  title: string,
  results: readonly ComponentResult[],
  notes: readonly string[],
  gpuStall: readonly StallCaseResult[] = [],
  backupFailure?: BackupScenarioResult,
): { summary: string; report: string } {
  fs.mkdirSync(outdir, { recursive: true });
  const summary = path.join(outdir, 'summary.json');
  const report = path.join(outdir, 'report.html');
  const body =
    results.length === 1
      ? results[0]?.summary
      : { scenario: title, components: results.map((r) => r.summary) };
  fs.writeFileSync(
    summary,
    `${JSON.stringify(
      { ...body, ...(gpuStall.length > 0 ? { gpuStall } : {}), ...(backupFailure ? { backupFailure } : {}) },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(report, renderReport(title, results, notes, gpuStall, backupFailure));
  return { summary, report };
}

/** A frontier or oracle ratio as the table prints it: '-' where it is null (summary.json says why). */
function ratio(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : value.toFixed(2);
}

/** The short table `npm start` and `ops simulate` print. */
export function summaryTable(results: readonly ComponentResult[]): string {
  const header = [
    'component',
    'policy',
    'thetaU',
    'thetaO',
    'tauU',
    'tauO',
    'instab.',
    'SLO min',
    'inst-h',
    'actions',
    'vs TT cost',
    'vs TT SLO',
    'vs oracle',
  ];
  const rows = results.flatMap((r) =>
    POLICY_NAMES.map((p) => {
      const m = r.summary.policies[p];
      return [
        r.summary.component,
        p,
        m.thetaU,
        m.thetaO,
        m.tauU,
        m.tauO,
        m.instability,
        m.sloViolationMinutes,
        m.instanceHours,
        m.actions,
        ratio(m.frontierCostRatio),
        ratio(m.frontierSloRatio),
        ratio(m.oracleCostRatio),
      ].map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v));
    }),
  );
  const oracles = results.flatMap((r) =>
    r.summary.oracle
      ? [
          [
            r.summary.component,
            'oracle',
            ...Array<string>(5).fill(''),
            String(r.summary.oracle.sloViolationMinutes),
            r.summary.oracle.instanceHours.toFixed(1),
            '',
            '',
            '',
            '',
          ],
        ]
      : [],
  );
  rows.push(...oracles);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  return [header, ...rows]
    .map((r) => r.map((c, i) => String(c).padEnd(widths[i] as number)).join('  '))
    .join('\n');
}
