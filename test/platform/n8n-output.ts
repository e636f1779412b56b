/**
 * Reading what n8n processes print: n8n's own JSON log lines (N8N_LOG_FORMAT=json, as deployed) and
 * the marker lines the fixture workflows' Code nodes print (CODE_ENABLE_STDOUT=true, as deployed;
 * n8n prefixes them with `[Workflow "<id>"][Node "<name>"]`). A marker is printed by the process
 * that ran the node, so it says which process executed which execution.
 */
export interface Marker {
  readonly workflowId: string;
  readonly node: string;
  readonly conformance: string;
  readonly executionId: string;
  readonly [field: string]: string;
}

const MARKER = /^\[Workflow "([^"]+)"\]\[Node "([^"]+)"\] (\{.*\})$/;

export function markers(lines: readonly string[], conformance?: string): Marker[] {
  const found: Marker[] = [];
  for (const line of lines) {
    const match = MARKER.exec(line);
    if (!match) continue;
    const [, workflowId = '', node = '', json = '{}'] = match;
    const fields = JSON.parse(json) as Record<string, string>;
    if (typeof fields.conformance !== 'string' || typeof fields.executionId !== 'string') continue;
    if (conformance !== undefined && fields.conformance !== conformance) continue;
    found.push({
      ...fields,
      workflowId,
      node,
      conformance: fields.conformance,
      executionId: fields.executionId,
    });
  }
  return found;
}

interface JsonLogLine {
  readonly level: string;
  readonly message: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export function jsonLogLines(lines: readonly string[]): JsonLogLine[] {
  return lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const parsed = JSON.parse(line) as Partial<JsonLogLine>;
      return typeof parsed.message === 'string' && typeof parsed.level === 'string'
        ? [parsed as JsonLogLine]
        : [];
    } catch {
      return [];
    }
  });
}

/**
 * Execution ids named by one of n8n's queue-mode lines, e.g. the worker's "Worker started execution
 * 12 (job 12)" (scaling/job-processor) or the main's "Enqueued execution 12 (job 12)"; read from the
 * line's metadata, which n8n writes beside the message.
 */
export function executionIds(
  lines: readonly string[],
  event: 'Worker started execution' | 'Worker finished execution' | 'Enqueued execution',
): string[] {
  return jsonLogLines(lines)
    .filter((l) => l.message.startsWith(`${event} `))
    .map((l) => String(l.metadata?.executionId));
}

/** How many times each value occurs. */
export function counts(values: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const value of values) result.set(value, (result.get(value) ?? 0) + 1);
  return result;
}
