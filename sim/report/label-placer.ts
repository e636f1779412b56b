/**
 * Where a chart's text labels go so that they do not cover one another. There is no font to
 * measure in a static SVG, so a label's width is estimated from its length (a sans-serif
 * character is about 0.58 of the font size wide): good enough to keep labels apart.
 */

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Anchor = 'start' | 'middle' | 'end';

/** A position a label may take: its text's anchor point and alignment. */
export interface Spot {
  readonly x: number;
  readonly y: number;
  readonly anchor: Anchor;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const inside = (a: Box, b: Box) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

/** The box a label's text covers at a spot. */
function textBox(text: string, spot: Spot, fontSize: number): Box {
  const width = text.length * fontSize * 0.58;
  const x = spot.anchor === 'start' ? spot.x : spot.anchor === 'end' ? spot.x - width : spot.x - width / 2;
  return { x, y: spot.y - fontSize * 0.8, width, height: fontSize };
}

/**
 * The spots around a point, nearest first: right, left, above, below, the diagonals; then the
 * same further out, for a crowded neighbourhood.
 */
export function spotsAround(x: number, y: number, gap = 6, rings = 3): Spot[] {
  return [gap, gap + 10, gap + 22].slice(0, rings).flatMap((g) => [
    { x: x + g, y: y + 3.5, anchor: 'start' as const },
    { x: x - g, y: y + 3.5, anchor: 'end' as const },
    { x, y: y - g - 1, anchor: 'middle' as const },
    { x, y: y + g + 9, anchor: 'middle' as const },
    { x: x + g, y: y - g - 1, anchor: 'start' as const },
    { x: x - g, y: y - g - 1, anchor: 'end' as const },
    { x: x + g, y: y + g + 9, anchor: 'start' as const },
    { x: x - g, y: y + g + 9, anchor: 'end' as const },
  ]);
}

export class LabelPlacer {
  private readonly taken: Box[] = [];

  /** `area`: where labels must stay (the plot's box). */
  constructor(private readonly area: Box) {}

  /** Keeps labels off something drawn (a marker, the legend). */
  reserve(box: Box): void {
    this.taken.push(box);
  }

  /**
   * The first free spot for `text`, which it then takes. A label that must show (`required`)
   * takes its first spot inside the area when none is free; an optional one is left out.
   */
  place(text: string, fontSize: number, spots: readonly Spot[], required: boolean): Spot | undefined {
    const fits = spots.filter((s) => inside(textBox(text, s, fontSize), this.area));
    const free = fits.find((s) => !this.taken.some((t) => overlaps(t, textBox(text, s, fontSize))));
    const chosen = free ?? (required ? (fits[0] ?? spots[0]) : undefined);
    if (chosen) this.taken.push(textBox(text, chosen, fontSize));
    return chosen;
  }
}
