import { z } from 'zod';
import { RUNTIME_ALERT_CATALOGUE, type RuntimeAlert } from '../../lib/config/alert-runtime';
import { AlertDefinitionSchema, AlertSignalSchema } from '../../lib/config/alert-schema';
import {
  ALERT_CATALOGUE,
  composeAlerts,
  composeInternalAlarms,
  INTERNAL_ALARM_CATALOGUE,
} from '../../lib/config/alerts';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';

/**
 * The handlers read the catalogue's runtime half (lib/config/alert-runtime.ts); the constructs read
 * the full catalogue, composed of that half and the alarms (lib/config/alerts.ts), which fails at
 * import when the halves disagree (the composition's tests below). The runtime half must hold what
 * the handlers read and nothing only the constructs read.
 */
const [eventSignal, workflowSignal] = (['event', 'workflow'] as const).map(
  (type) => AlertSignalSchema.options.find((o) => o.shape.type.value === type) as z.ZodObject,
);
const alarmTypes = AlertSignalSchema.options
  .map((o) => o.shape.type.value)
  .filter((type) => type !== 'event' && type !== 'workflow');

/** What a handler may read of an alert: every field but the seed reference, an alarm's signal as its type. */
const RuntimeAlertSchema = AlertDefinitionSchema.omit({ signal: true, source: true })
  .extend({
    signal: z.union([
      z.strictObject({ type: z.enum(alarmTypes as [string, ...string[]]) }),
      (eventSignal as z.ZodObject).strict(),
      (workflowSignal as z.ZodObject).strict(),
    ]),
  })
  .strict();

describe('the runtime alert catalogue', () => {
  test('has every field a handler reads, valid, and no alarm definition or seed reference', () => {
    const problems = RUNTIME_ALERT_CATALOGUE.flatMap((alert) => {
      const result = RuntimeAlertSchema.safeParse(alert);
      return result.success
        ? []
        : result.error.issues.map((i) => `${alert.name}.${i.path.join('.')}: ${i.message}`);
    });
    expect(problems).toEqual([]);
    // A full entry is refused: its source, and its alarm beyond the type.
    expect(RuntimeAlertSchema.safeParse(ALERT_CATALOGUE[0]).success).toBe(false);
  });

  test('holds whole what the router matches events against, and what Register reads of a workflow', () => {
    const ecs = RUNTIME_ALERT_CATALOGUE.find(
      (a) => a.signal.type === 'event' && a.signal.source === 'aws.ecs',
    );
    expect(ecs?.signal).toEqual({
      type: 'event',
      source: 'aws.ecs',
      detailTypes: ['ECS Service Action'],
      states: ['SERVICE_TASK_PLACEMENT_FAILURE', 'SERVICE_TASK_START_IMPAIRED'],
    });
    expect(catalogueAlert('Odoo_Backup_Failure').alsoFromEvents).toEqual({
      source: 'aws.backup',
      detailTypes: ['Backup Job State Change'],
      states: ['FAILED', 'ABORTED', 'EXPIRED'],
    });
    expect(catalogueAlert('Scaling_Event_Failed').signal).toEqual({
      type: 'workflow',
      raisedBy: 'scale-decision',
    });
    // An alarm's entry says only that an alarm raises it, and which kind.
    expect(catalogueAlert('Odoo_Server_High_CPU').signal).toEqual({ type: 'metric' });
    expect(catalogueAlert('Scale_n8n_queue_high').signal).toEqual({ type: 'metric-math' });
    expect(catalogueAlert('AI_Service_Stalled').signal).toEqual({ type: 'composite' });
  });

  test('is what the escalation handlers look alerts up in', () => {
    for (const { name } of ALERT_CATALOGUE)
      expect(catalogueAlert(name)).toBe(RUNTIME_ALERT_CATALOGUE.find((a) => a.name === name));
  });
});

describe('composing the full catalogue', () => {
  const cpu = RUNTIME_ALERT_CATALOGUE.find((a) => a.name === 'Odoo_Server_High_CPU') as RuntimeAlert;
  const ecs = RUNTIME_ALERT_CATALOGUE.find((a) => a.signal.type === 'event') as RuntimeAlert;
  const cpuAlarm = ALERT_CATALOGUE.find((a) => a.name === 'Odoo_Server_High_CPU')?.signal;
  const stalled = ALERT_CATALOGUE.find((a) => a.name === 'AI_Service_Stalled')?.signal;

  test('puts the alarm in place of its type and adds the source', () => {
    const { alerts, problems } = composeAlerts([cpu, ecs], {
      [cpu.name]: { signal: cpuAlarm, source: 'seed' },
      [ecs.name]: { source: 'events' },
    });
    expect(problems).toEqual([]);
    expect(alerts).toEqual([
      { ...cpu, signal: cpuAlarm, source: 'seed' },
      { ...ecs, source: 'events' },
    ]);
  });

  test('names every mismatch between the two halves', () => {
    const { alerts, problems } = composeAlerts(
      [cpu, { ...cpu, name: 'Odoo_Twin' }, { ...cpu, name: 'Odoo_Bare' }, ecs],
      {
        [cpu.name]: { signal: stalled, source: 'seed' },
        Odoo_Bare: { source: 'seed' },
        [ecs.name]: { signal: cpuAlarm, source: 'events' },
        Retired_Alert: { signal: cpuAlarm, source: 'seed' },
      },
    );
    expect(alerts).toEqual([]);
    expect(problems).toEqual([
      'Odoo_Server_High_CPU.signal: composite in lib/config/alerts.ts, metric in lib/config/alert-runtime.ts',
      'Odoo_Twin: no infrastructure in lib/config/alerts.ts',
      'Odoo_Bare.signal: a metric alarm, with no signal in lib/config/alerts.ts',
      'ECS_Service_Task_Placement_Failure.signal: raised by events, yet lib/config/alerts.ts gives it an alarm',
      'Retired_Alert: infrastructure of no alert in lib/config/alert-runtime.ts',
    ]);
  });

  test('names an internal alarm missing from either half', () => {
    const [idle] = INTERNAL_ALARM_CATALOGUE;
    if (!idle) throw new Error('no internal alarm');
    expect(
      composeInternalAlarms([{ name: 'Gone', inputOf: 'AI_Service_Stalled' }], {
        [idle.name]: { description: idle.description, signal: idle.signal },
      }).problems,
    ).toEqual([
      'Gone: internal alarm with no signal in lib/config/alerts.ts',
      'AI_Serving_GPU_Idle: signal of no internal alarm in lib/config/alert-runtime.ts',
    ]);
  });
});
