import { escape } from './svg';

/**
 * A legend drawn inside the SVG, so that a chart read on its own (docs/simulator.md's images, a saved
 * chart) still says what its lines and marks are.
 */

export interface LegendItem {
  /** What it explains (a series or a marker kind), for data-legend. */
  readonly key: string;
  readonly label: string;
  /** The sample mark, 18 px wide, drawn from `x` and centred on `y`. */
  sample(x: number, y: number): string;
}

const FONT = 11;
const ROW = 17;

/** The items left to right, wrapping onto a new row when the next would pass `right`. */
export function legendRows(
  items: readonly LegendItem[],
  left: number,
  right: number,
): { svg: string; height: number } {
  let x = left;
  let row = 0;
  const parts = items.map((item) => {
    const width = 18 + 5 + item.label.length * FONT * 0.58 + 16;
    if (x > left && x + width > right) {
      row += 1;
      x = left;
    }
    const y = 14 + row * ROW;
    const svg = `<g data-legend="${item.key}">${item.sample(x, y)}<text x="${x + 23}" y="${y + 4}" font-size="${FONT}">${escape(item.label)}</text></g>`;
    x += width;
    return svg;
  });
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: 14 + row * ROW + 8 };
}
