import { emfDocument, type EmfMetric } from '../core/emf';

/** Where EMF lines go: stdout in Lambda; tests pass their own. */
export type EmfLineWriter = (line: string) => void;

/**
 * Straight to process.stdout, as Powertools Metrics does: the functions log in Lambda's JSON
 * format, which would wrap a console.log line and hide the document from CloudWatch.
 */
export const stdoutWriter: EmfLineWriter = (line) => void process.stdout.write(line);

/** Writes one EMF document, built already (lambdas/core/emf.ts emfDocument), as one line. */
export function writeEmfDocument(
  document: Record<string, unknown>,
  write: EmfLineWriter = stdoutWriter,
): void {
  write(`${JSON.stringify(document)}\n`);
}

/** Writes one EMF document (one datapoint per metric, under every dimension set) as one line. */
export function writeEmf(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  dimensionSets: ReadonlyArray<readonly string[]>,
  metrics: readonly EmfMetric[],
  write: EmfLineWriter = stdoutWriter,
  timestamp: Date = new Date(),
): void {
  writeEmfDocument(emfDocument(namespace, dimensions, dimensionSets, metrics, timestamp), write);
}
