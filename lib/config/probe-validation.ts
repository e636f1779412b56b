import type { RuntimeAlert } from './alert-runtime';
import { PROBE_TIMEOUT_SECONDS, type ProbeTarget } from './probes';

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

export const PROBE_VALIDATED_ALERTS: Readonly<Record<string, ProbeTarget>> = {
  High_Odoo_N8N_API_Error_Rate: 'n8n',
  High_N8N_Odoo_Callback_Error_Rate: 'odoo',
};

/**
 * The ProbeService Task's TimeoutSeconds (state-machines/escalation.asl.json; the test holds the
 * two equal): the probe's own 30 s (seed 004) plus 10 s for the function to start and answer. Below
 * the function's own timeout (PROBE_FUNCTION_TIMEOUT_SECONDS, 45 s, sized for a cold start in the
 * VPC), so a hung probe holds the first page back by 40 s an attempt, not 45. The house rule
 * (test/state-machines/retries.test.ts) retries a Task's timeouts at least 3 times: a probe that
 * hangs every time delays the page by at most 4 x 40 s plus 7 s of backoff, under 3 minutes; one
 * that answers, HEALTHY or not, by at most its 30 s.
 */
export const PROBE_TASK_TIMEOUT_SECONDS = PROBE_TIMEOUT_SECONDS + 10;

/** The probe target that validates `alertName` before it pages, if any. */
export function probeTargetOf(alertName: string): ProbeTarget | undefined {
  return Object.hasOwn(PROBE_VALIDATED_ALERTS, alertName) ? PROBE_VALIDATED_ALERTS[alertName] : undefined;
}

/** Problems with the mapping against a catalogue: a name it does not have (the type holds the targets). */
export function probeValidationProblems(catalogue: readonly Pick<RuntimeAlert, 'name'>[]): string[] {
  const names = new Set(catalogue.map((a) => a.name));
  return Object.keys(PROBE_VALIDATED_ALERTS)
    .filter((name) => !names.has(name))
    .map((name) => `probeValidation.${name}: not an alert of the catalogue`);
}
