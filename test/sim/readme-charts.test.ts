import * as fs from 'node:fs';
import * as path from 'node:path';
import { README_CHART_DIR, readmeCharts } from '../../scripts/readme-charts';

/** The document that shows the charts (they were the README's until it became a front page). */
const SIMULATOR_DOC = path.resolve(__dirname, '..', '..', 'docs', 'simulator.md');

describe("the simulator's charts in docs/simulator.md", () => {
  let charts: Record<string, string>;
  beforeAll(async () => {
    charts = await readmeCharts();
  });

  test.each(['odoo.svg', 'n8n.svg', 'flux-gpu.svg', 'odoo-frontier.svg'])(
    'docs/sim/%s is what the code draws now (npm run readme-charts)',
    (file) => {
      const svg = charts[file] as string;
      expect(svg).toMatch(/data-(series|point)="control-plane"/);
      const committed = fs.readFileSync(path.join(README_CHART_DIR, file), 'utf8');
      expect(committed === svg).toBe(true);
      expect(fs.readFileSync(SIMULATOR_DOC, 'utf8')).toContain(`](sim/${file})`);
    },
  );
});
