import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../lib/config';
import { chart } from '../sim/report/html';
import { bundledDay } from '../sim/run/scenario';
import { simulateComponent } from '../sim/run/simulate';

/**
 * `npm run readme-charts`: the bundled day's charts as standalone SVGs under docs/sim/, which the
 * README shows. test/sim/readme-charts.test.ts fails when they differ from what the code draws now,
 * so a change to the control plane's behaviour cannot leave a stale picture in the README.
 */
export const README_CHART_DIR = path.resolve(__dirname, '..', 'docs', 'sim');

export async function readmeCharts(): Promise<Record<string, string>> {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const charts: Record<string, string> = {};
  for (const [component, load] of bundledDay())
    charts[`${component}.svg`] = chart(await simulateComponent(config, component, load), true);
  return charts;
}

async function main() {
  fs.mkdirSync(README_CHART_DIR, { recursive: true });
  for (const [file, svg] of Object.entries(await readmeCharts())) {
    fs.writeFileSync(path.join(README_CHART_DIR, file), svg);
    console.log(path.relative(process.cwd(), path.join(README_CHART_DIR, file)));
  }
}

if (require.main === module) void main();
