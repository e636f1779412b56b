/** Names shared by the stacks (which create them) and the Lambdas (which recognise them). */

/** Every alarm of an environment starts with this, so the router can tell ours from others. */
export function alarmNamePrefix(envName: string): string {
  return `influencegen-${envName}-`;
}

export function alarmName(envName: string, catalogueName: string): string {
  return `${alarmNamePrefix(envName)}${catalogueName}`;
}

/**
 * The watcher's own alarms (control-plane functions, dead letters, heartbeat): a prefix of their
 * own, so the router never takes one for a catalogue alarm and the console can list them together.
 */
export function watchAlarmNamePrefix(envName: string): string {
  return `watch-${alarmNamePrefix(envName)}`;
}

export function watchAlarmName(envName: string, what: string): string {
  return `${watchAlarmNamePrefix(envName)}${what}`;
}

/** The four workflows; state-machines/<name>.asl.json. */
export const WORKFLOW_NAMES = ['escalation', 'scale-decision', 'stalled-gpu', 'backup-verification'] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** The two CloudWatch dashboards of an environment (the operator's guide names them). */
export const dashboardNames = (envName: string) => ({
  platform: `influencegen-${envName}-platform`,
  controlPlane: `influencegen-${envName}-control-plane`,
});

/** The control plane's resource names: the stacks create them, the `ops` CLI and the router find them. */
export const controlPlaneNames = (environment: string) => ({
  table: `influencegen-${environment}-control-plane`,
  ackFunction: `influencegen-${environment}-incident-ack`,
  escalation: `influencegen-${environment}-escalation`,
  scaleDecision: `influencegen-${environment}-scale-decision`,
  stalledGpu: `influencegen-${environment}-stalled-gpu`,
  backupVerification: `influencegen-${environment}-backup-verification`,
});
