import * as fs from 'node:fs';
import * as path from 'node:path';
import { README_CHART_DIR, readmeCharts } from '../../scripts/readme-charts';

describe("the README's simulator charts", () => {
  test.each(Object.entries(readmeCharts()))(
    'docs/sim/%s is what the code draws now (npm run readme-charts)',
    (file, svg) => {
      expect(svg).toContain('data-series="control-plane"');
      const committed = fs.readFileSync(path.join(README_CHART_DIR, file), 'utf8');
      expect(committed === svg).toBe(true);
    },
  );
});
