/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../lib/config';
import { AWS_FAULTS, generationDay, odooDay } from '../../sim/run/scenario';
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

/** What a chart shows on screen: its size, lines, markers, labels and legend, read in the browser. */
type DrawnChart = {
  width: number;
  series: Array<{ name: string | null; length: number; height: number }>;
  axisTitles: string[];
  timeLabels: string[];
  markers: Record<string, number>;
  faultBandWidths: number[];
  legend: string[];
};

/** The frontier chart as drawn: each point's series and on-screen size, the curves and labels. */
type DrawnFrontier = {
  component: string;
  policies: Array<{ series: string | null; width: number }>;
  oracle: number;
  curves: Array<{ series: string | null; length: number }>;
  frontierPoints: number;
  labels: string[];
  axisTitles: string[];
};

let report: string;
// A fixed start shows the clock in UTC: the GPU day from 00:00 on a Monday.
const START = Date.parse('2026-11-23T00:00:00Z') / 1000;

beforeAll(async () => {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const results = [
    await simulateComponent(config, 'odoo', odooDay(), { frontier: true }),
    await simulateComponent(config, 'flux-gpu', generationDay(), {
      frontier: true,
      faults: AWS_FAULTS['flux-gpu'],
      start: START,
    }),
  ];
  ({ report } = writeResults(dir, 'browser check', results, ['rendered in a test']));
});

test('report.html draws a chart per component with demand and all four policies', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  // Self-contained: the page asks for nothing but itself.
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`file://${report}`);
  expect(requested).toEqual([`file://${report}`]);
  const charts: DrawnChart[] = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => ({
      width: svg.getBoundingClientRect().width,
      series: Array.from(svg.querySelectorAll('path.series')).map((p) => ({
        name: p.getAttribute('data-series'),
        length: (p as SVGPathElement).getTotalLength(),
        height: p.getBoundingClientRect().height,
      })),
      axisTitles: Array.from(svg.querySelectorAll('[data-axis-title]')).map((t) => t.textContent ?? ''),
      timeLabels: Array.from(svg.querySelectorAll('[data-axis="x"]')).map((t) => t.textContent ?? ''),
      markers: Array.from(svg.querySelectorAll('[data-marker]')).reduce<Record<string, number>>((n, m) => {
        const kind = m.getAttribute('data-marker') ?? '';
        n[kind] = (n[kind] ?? 0) + 1;
        return n;
      }, {}),
      faultBandWidths: Array.from(svg.querySelectorAll('[data-marker="fault"] rect')).map(
        (r) => r.getBoundingClientRect().width,
      ),
      legend: Array.from(svg.querySelectorAll('[data-legend]')).map(
        (l) => l.getAttribute('data-legend') ?? '',
      ),
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
    // Axis titles with units, clock time along the bottom, and a legend inside the chart.
    expect(chart.axisTitles).toEqual(['instances (running)', expect.stringMatching(/^time/)]);
    expect(chart.timeLabels.length).toBeGreaterThanOrEqual(6);
    for (const label of chart.timeLabels) expect(label).toMatch(/^\d\d:\d\d$/);
    expect(chart.legend).toEqual(
      expect.arrayContaining(['demand', 'control-plane', 'target-tracking', 'step-seed', 'hpa', 'scale']),
    );
    // The control plane acted in both days.
    expect(chart.markers.scale).toBeGreaterThanOrEqual(1);
  }
  const [odoo, gpu] = charts as [DrawnChart, DrawnChart];
  expect(odoo.timeLabels.slice(0, 2)).toEqual(['00:00', '02:00']);
  // The GPU day runs in UTC from its start, and its capacity fault is a band as wide as its 25 minutes.
  expect(gpu.axisTitles[1]).toBe('time (UTC), from Mon 2026-11-23');
  expect(gpu.markers.fault).toBe(1);
  expect(gpu.faultBandWidths[0]).toBeGreaterThan(5);
  expect(gpu.legend).toContain('fault');
  expect(await page.locator('table.metrics tbody tr').count()).toBe(8);
  // The control plane's timeline opens on a click, a row per action or page, each at its clock time.
  await expect(page.locator('#odoo details.timeline tbody tr').first().isVisible()).resolves.toBe(false);
  await page.locator('#odoo details.timeline summary').click();
  await expect(page.locator('#odoo details.timeline tr.scale').first().isVisible()).resolves.toBe(true);
  await expect(page.locator('#odoo details.timeline tr.scale td').first().textContent()).resolves.toMatch(
    /^\d\d:\d\d$/,
  );
  await page.screenshot({ path: path.join(os.tmpdir(), 'influencegen-report.png'), fullPage: false });
  await page.close();
});

test('report.html draws the cost/SLO frontier per component: both curves, the oracle and every policy', async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
  await page.goto(`file://${report}`);
  const frontiers: DrawnFrontier[] = await page.$$eval('svg.frontier', (svgs) =>
    svgs.map((svg) => ({
      component: svg.closest('section')?.id ?? '',
      policies: Array.from(svg.querySelectorAll('[data-point="policy"]')).map((p) => ({
        series: p.getAttribute('data-series'),
        width: p.getBoundingClientRect().width,
      })),
      oracle: Array.from(svg.querySelectorAll('[data-point="oracle"]')).filter(
        (p) => p.getBoundingClientRect().width > 0,
      ).length,
      curves: Array.from(svg.querySelectorAll('path[data-curve]')).map((c) => ({
        series: c.getAttribute('data-curve'),
        length: (c as SVGPathElement).getTotalLength(),
      })),
      frontierPoints: svg.querySelectorAll('[data-point="frontier"]').length,
      labels: Array.from(svg.querySelectorAll('[data-label="policy"], [data-label="oracle"]')).map(
        (l) => l.textContent ?? '',
      ),
      axisTitles: Array.from(svg.querySelectorAll('[data-axis-title]')).map((t) => t.textContent ?? ''),
    })),
  );
  expect(frontiers.map((f) => f.component)).toEqual(['odoo', 'flux-gpu']);
  for (const f of frontiers) {
    expect(f.policies.map((p) => p.series)).toEqual(['control-plane', 'target-tracking', 'step-seed', 'hpa']);
    for (const p of f.policies) expect(p.width).toBeGreaterThan(5);
    expect(f.oracle).toBe(1);
    expect(f.curves.map((c) => c.series)).toEqual(['target-tracking', 'hpa']);
    for (const c of f.curves) expect(c.length).toBeGreaterThan(20);
    expect(f.frontierPoints).toBe(20);
    expect([...f.labels].sort()).toEqual(['control-plane', 'hpa', 'oracle', 'step-seed', 'target-tracking']);
    expect(f.axisTitles).toEqual([
      'cost: instance-hours over the run',
      expect.stringMatching(/^SLO-violation minutes/),
    ]);
  }
  // Beside each chart the ratios, a row per policy and the oracle's own figures.
  expect(await page.locator('#odoo table.ratios tbody tr').count()).toBe(5);
  await expect(page.locator('#odoo table.ratios').isVisible()).resolves.toBe(true);
  await page
    .locator('#odoo .frontier-block')
    .screenshot({ path: path.join(os.tmpdir(), 'influencegen-frontier.png') });
  await page.close();
});
