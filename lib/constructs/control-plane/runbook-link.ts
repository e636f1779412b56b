/**
 * The published address of a runbook, or of one of its sections, under alerts.runbookBaseUrl: what
 * an alarm acting straight on an SNS topic puts in its description ("Runbook: <url>"), since its
 * message does not pass through the escalation's templates.
 */
export function runbookUrl(runbookBaseUrl: string, runbook: string, section?: string): string {
  return new URL(section === undefined ? runbook : `${runbook}#${section}`, runbookBaseUrl).toString();
}
