/**
 * The backup plan's retention against the environment's (lib/config backup): the continuous rule
 * keeps point-in-time recovery for at least `continuousRetentionDays`, the others their recovery
 * points for at least `dailyRetentionDays`; a rule without a lifecycle keeps them for ever. The
 * RPO rests on continuous backup, so a plan without it is a problem too. Read from GetBackupPlan's
 * Rules, as AWS returns them: catches a retention changed outside the stacks.
 */
export function retentionProblems(
  rules: ReadonlyArray<Record<string, unknown>>,
  required: { readonly continuousRetentionDays: number; readonly dailyRetentionDays: number },
): string[] {
  const problems: string[] = [];
  if (!rules.some((r) => r.EnableContinuousBackup === true))
    problems.push('the backup plan has no continuous-backup rule: point-in-time recovery is off');
  for (const rule of rules) {
    const continuous = rule.EnableContinuousBackup === true;
    const days = (rule.Lifecycle as { DeleteAfterDays?: unknown } | undefined)?.DeleteAfterDays;
    const needed = continuous ? required.continuousRetentionDays : required.dailyRetentionDays;
    if (typeof days === 'number' && days < needed)
      problems.push(
        `backup plan rule ${String(rule.RuleName ?? '?')} keeps recovery points ${days} days, ${needed} required`,
      );
  }
  return problems;
}
