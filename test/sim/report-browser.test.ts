/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../lib/config';
import { generationDay, odooDay } from '../../sim/run/scenario';
import { simulateComponent } from '../../sim/run/simulate';
import { writeResults } from '../../sim/write-results';

/**
 * The report as a person sees it: rendered by a real headless Chromium (Debian's chromium, which
 * .ci/run installs), with every chart's lines drawn and laid out.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('report.html draws a chart per component with demand and all four policies', async () => {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const results = [
    await simulateComponent(config, 'odoo', odooDay()),
    await simulateComponent(config, 'flux-gpu', generationDay()),
  ];
  const { report } = writeResults(dir, 'browser check', results, ['rendered in a test']);
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.goto(`file://${report}`);
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => ({
      width: svg.getBoundingClientRect().width,
      series: Array.from(svg.querySelectorAll('path.series')).map((p) => ({
        name: p.getAttribute('data-series'),
        length: (p as SVGPathElement).getTotalLength(),
        height: p.getBoundingClientRect().height,
      })),
    })),
  );
  expect(charts).toHaveLength(2);
  for (const chart of charts) {
    expect(chart.width).toBeGreaterThan(500);
    expect(chart.series.map((s) => s.name)).toEqual([
      'demand',
      'control-plane',
      'target-tracking',
      'step-seed',
      'hpa',
    ]);
    // Drawn: every line has a length on screen, and the demand line rises and falls.
    for (const s of chart.series) expect(s.length).toBeGreaterThan(100);
    expect(chart.series[0]?.height).toBeGreaterThan(20);
  }
  expect(await page.locator('table.metrics tbody tr').count()).toBe(8);
  // The control plane's timeline opens on a click and names the runaway pause after the flash crowd.
  await page.locator('#odoo details.timeline summary').click();
  await expect(page.locator('#odoo details.timeline tr.pause').first().isVisible()).resolves.toBe(true);
  await page.screenshot({ path: path.join(os.tmpdir(), 'influencegen-report.png'), fullPage: false });
  await page.close();
});
