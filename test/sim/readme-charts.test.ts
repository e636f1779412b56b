import * as fs from 'node:fs';
import * as path from 'node:path';
import { README_CHART_DIR, readmeCharts } from '../../scripts/readme-charts';

describe("the README's simulator charts", () => {
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
    },
  );
});
