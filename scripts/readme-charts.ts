import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../lib/config';
import { chart } from '../sim/report/time-series-chart';
import { frontierChart } from '../sim/report/frontier-chart';
import { bundledDay } from '../sim/run/scenario';
import { simulateComponent } from '../sim/run/simulate';

/**
 * `npm run readme-charts`: the bundled day's charts as standalone SVGs under docs/sim/, which
 * docs/simulator.md shows. test/sim/readme-charts.test.ts fails when they differ from what the code
 * draws now, so a change to the control plane's behaviour cannot leave a stale picture in the docs.
 */
export const README_CHART_DIR = path.resolve(__dirname, '..', 'docs', 'sim');

export async function readmeCharts(): Promise<Record<string, string>> {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const charts: Record<string, string> = {};
  for (const [component, load] of bundledDay()) {
    const result = await simulateComponent(config, component, load, { frontier: component === 'odoo' });
    charts[`${component}.svg`] = chart(result, true);
    if (component === 'odoo') charts[`${component}-frontier.svg`] = standalone(frontierChart(result.summary));
  }
  return charts;
}

/** The report's inline SVG as a file of its own: its namespace and a white background. */
function standalone(svg: string): string {
  return `${svg
    .replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" ')
    .replace(/(<svg[^>]*>)/, '$1<rect width="100%" height="100%" fill="#ffffff"/>')}\n`;
}

async function main() {
  fs.mkdirSync(README_CHART_DIR, { recursive: true });
  for (const [file, svg] of Object.entries(await readmeCharts())) {
    fs.writeFileSync(path.join(README_CHART_DIR, file), svg);
    console.log(path.relative(process.cwd(), path.join(README_CHART_DIR, file)));
  }
}

if (require.main === module) void main();
