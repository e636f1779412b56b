/**
 * The major-incident functions' settings, from the environment variables MajorIncidentWorkflow
 * sets (lib/constructs/control-plane/major-incident-workflow.ts). Missing or malformed: the
 * invocation fails, naming the variable.
 */
export interface MajorRecordSettings {
  readonly environment: string;
  readonly stateTable: string;
  /** runbooks/major_incident.md where runbooks are published: every notice links there. */
  readonly runbookUrl: string;
  /** Whether a PagerDuty routing key is configured: without one the page is skipped, and said so. */
  readonly pagerDuty: boolean;
}

export interface MajorPagerDutySettings {
  /** The Secrets Manager secret holding the Events API v2 routing key (never the key itself). */
  readonly routingKeySecret: string;
  readonly eventsUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function readMajorRecordSettings(env: Env = process.env): MajorRecordSettings {
  const pagerDuty = required(env, 'MAJOR_PAGERDUTY');
  if (pagerDuty !== 'enabled' && pagerDuty !== 'disabled')
    throw new Error(`MAJOR_PAGERDUTY must be enabled or disabled, not ${pagerDuty}`);
  return {
    environment: required(env, 'ENVIRONMENT'),
    stateTable: required(env, 'STATE_TABLE'),
    runbookUrl: required(env, 'MAJOR_RUNBOOK_URL'),
    pagerDuty: pagerDuty === 'enabled',
  };
}

export function readMajorPagerDutySettings(env: Env = process.env): MajorPagerDutySettings {
  const eventsUrl = required(env, 'PAGERDUTY_EVENTS_URL');
  if (!eventsUrl.startsWith('https://')) throw new Error('PAGERDUTY_EVENTS_URL must be an https:// URL');
  return { routingKeySecret: required(env, 'PAGERDUTY_ROUTING_KEY_SECRET'), eventsUrl };
}
