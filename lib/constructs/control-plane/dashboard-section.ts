import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AlertDefinition, AlertSignal, DimensionTarget } from '../../config/alert-schema';
import { GRID } from './dashboard-grid';
import { runbookLink, type Link } from './dashboard-links';

export interface SectionHeading {
  readonly title: string;
  /** One line on what the section shows. */
  readonly about?: string;
  /** Runbook paths (runbooks/<name>.md), in the order they are listed. */
  readonly runbooks: readonly string[];
  readonly console: readonly Link[];
}

/** Roughly how many characters of link text one line of a full-width text widget holds. */
const CHARACTERS_PER_LINE = 180;

/**
 * The text widget a section starts with: its title, what it shows, the runbooks of its alerts and
 * the console pages of its resources. The first line is always `## <title>`.
 */
export function sectionHeading(runbookBaseUrl: string, heading: SectionHeading): cloudwatch.TextWidget {
  const list = (links: readonly Link[]) => links.map((l) => `[${l.label}](${l.url})`).join(' · ');
  const runbooks = heading.runbooks.map((path) => runbookLink(runbookBaseUrl, path));
  const paragraphs = [
    `## ${heading.title}`,
    ...(heading.about ? [heading.about] : []),
    ...(runbooks.length > 0 ? [`**Runbooks:** ${list(runbooks)}`] : []),
    ...(heading.console.length > 0 ? [`**Console:** ${list(heading.console)}`] : []),
  ];
  // A line per paragraph, plus one per wrapped line of link text, plus the heading's margin.
  const text = (links: readonly Link[]) => links.reduce((n, l) => n + l.label.length + 3, 0);
  const wrapped = [runbooks, heading.console].reduce(
    (n, links) => n + Math.max(0, Math.ceil(text(links) / CHARACTERS_PER_LINE) - 1),
    0,
  );
  return new cloudwatch.TextWidget({
    markdown: paragraphs.join('\n\n'),
    width: GRID.full,
    height: 1 + paragraphs.length + wrapped,
  });
}

/** Each runbook once, in catalogue order. */
export function runbooksOf(alerts: readonly AlertDefinition[]): string[] {
  return [...new Set(alerts.map((a) => a.runbook))];
}

/** The resources a signal's metrics name through their dimensions. */
function targetsOf(signal: AlertSignal): DimensionTarget[] {
  switch (signal.type) {
    case 'metric':
    case 'anomaly':
      return Object.values(signal.metric.dimensions);
    case 'metric-math':
      return Object.values(signal.metrics).flatMap((m) =>
        'dimensions' in m ? Object.values(m.dimensions) : [],
      );
    default:
      return [];
  }
}

/** The alerts whose metrics are about any of these resources (the ALB's alerts, say). */
export function alertsAbout(
  alerts: readonly AlertDefinition[],
  targets: readonly DimensionTarget[],
): AlertDefinition[] {
  return alerts.filter((a) => targetsOf(a.signal).some((t) => targets.includes(t)));
}
