/** Names shared by the stacks (which create them) and the Lambdas (which recognise them). */

/** Every alarm of an environment starts with this, so the router can tell ours from others. */
export function alarmNamePrefix(envName: string): string {
  return `influencegen-${envName}-`;
}

export function alarmName(envName: string, catalogueName: string): string {
  return `${alarmNamePrefix(envName)}${catalogueName}`;
}

/** The four workflows; state-machines/<name>.asl.json. */
export const WORKFLOW_NAMES = ['escalation', 'scale-decision', 'stalled-gpu', 'backup-verification'] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** The two CloudWatch dashboards of an environment (the operator's guide names them). */
export const dashboardNames = (envName: string) => ({
  platform: `influencegen-${envName}-platform`,
  controlPlane: `influencegen-${envName}-control-plane`,
});
