import type { RuntimeAlert } from './alert-runtime';

/**
 * Seed 004 "Alert Validation": for 'Service Unresponsive' alerts, an independent health check
 * (lambdas/health-probe, 30 s timeout) before escalating; the probe also failing escalates, the
 * probe succeeding logs a potential transient issue and pages nobody.
 *
 * Which catalogue alerts say a service is not answering, and which probe target checks it:
 * - High_Odoo_N8N_API_Error_Rate: Odoo's calls to n8n failing (seed 004's n8n health indicator,
 *   "unresponsive or consistently failing workflows"): is n8n's health endpoint answering?
 * - High_N8N_Odoo_Callback_Error_Rate: n8n's callbacks to Odoo failing ("one or more nodes
 *   unresponsive / high error rate"): is Odoo's login page answering?
 * Not validated: High_N8N_AI_Service_API_Error_Rate (the AI service is unresponsive, but there is
 * no probe of it: the stalled-GPU workflow checks the hosts), PostgreSQL_Unavailable (no metrics
 * at all: a probe through Odoo would test Odoo too), and every alert about load, latency,
 * capacity, backups, certificates or security, which a successful probe does not contradict.
 * test/config/probe-validation.test.ts holds every name to the catalogue.
 */
export const PROBE_TARGETS = ['odoo', 'n8n'] as const;
export type ProbeTarget = (typeof PROBE_TARGETS)[number];

export const PROBE_VALIDATED_ALERTS: Readonly<Record<string, ProbeTarget>> = {
  High_Odoo_N8N_API_Error_Rate: 'n8n',
  High_N8N_Odoo_Callback_Error_Rate: 'odoo',
};

/** The probe's own 30 s (seed 004) plus the Lambda's start and return: the workflow's task timeout. */
export const PROBE_TASK_TIMEOUT_SECONDS = 40;

/** The probe target that validates `alertName` before it pages, if any. */
export function probeTargetOf(alertName: string): ProbeTarget | undefined {
  return Object.hasOwn(PROBE_VALIDATED_ALERTS, alertName) ? PROBE_VALIDATED_ALERTS[alertName] : undefined;
}

/** Problems with the mapping against a catalogue (a name it does not have, a target not probed). */
export function probeValidationProblems(catalogue: readonly Pick<RuntimeAlert, 'name'>[]): string[] {
  const names = new Set(catalogue.map((a) => a.name));
  return Object.entries(PROBE_VALIDATED_ALERTS).flatMap(([name, target]) => [
    ...(names.has(name) ? [] : [`probeValidation.${name}: not an alert of the catalogue`]),
    ...((PROBE_TARGETS as readonly string[]).includes(target)
      ? []
      : [`probeValidation.${name}: target ${target} is not one of ${PROBE_TARGETS.join(', ')}`]),
  ]);
}
