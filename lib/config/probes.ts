/**
 * The health probes (seed 004 "Alert Validation" and "Quorum Based Alerting"): what they fetch,
 * how long they wait, where their metrics go. The probe function's bundle reads these constants;
 * the per-environment part is lib/config/probes-schema.ts (zod, kept out of the bundle).
 */

/** Seed 004 "Alert Validation": Timeout Duration 30 seconds. */
export const PROBE_TIMEOUT_SECONDS = 30;

/**
 * The probe function's own timeout: the 30-second probe (both targets in parallel, so one deadline,
 * not two) plus 15 s for a cold start inside the VPC (ENI attach, TLS setup) and publishing. A
 * function timeout at or under the probe's would turn a slow target into a function error instead of
 * an UNHEALTHY result with its reason.
 */
export const PROBE_FUNCTION_TIMEOUT_SECONDS = PROBE_TIMEOUT_SECONDS + 15;

/**
 * How much of a response body the probe reads: Odoo's login page is a few tens of KiB (its session
 * info included) and the markers are in its form; anything past 1 MiB is not read, so a runaway
 * response cannot exhaust the function's memory.
 */
export const PROBE_MAX_BODY_BYTES = 1024 * 1024;

/**
 * An agent that publishes no probe of Odoo for this many minutes in a row is silent (its schedule
 * disabled, its function failing before it publishes, its AZ's network gone): the quorum counts it
 * as not failing, so two silent agents would leave Odoo_Cluster_Node_Unhealthy unreachable. Ten
 * minutes: a few missed rounds (a throttled invocation, a deploy) are not worth a page, and two
 * agents both silent for ten minutes are noticed long before the availability SLO's budget matters.
 */
export const PROBE_SILENT_AGENT_MINUTES = 10;

/** Seed 004 "Quorum Based Alerting": quorum size 3, agreement 2 of 3, agents in different AZs. */
export const PROBE_QUORUM = { size: 3, agreement: 2 } as const;

/** Where the probes publish (EMF): one namespace for every environment, as the log metrics do. */
export const PROBE_METRICS = {
  namespace: 'InfluenceGen/Probes',
  success: 'ProbeSuccess',
  latency: 'ProbeLatencyMs',
} as const;

export const PROBE_TARGETS = ['odoo', 'n8n'] as const;
export type ProbeTarget = (typeof PROBE_TARGETS)[number];

/**
 * What each target serves when it is healthy, from the deployed software's source:
 * - Odoo 18's login page (addons/web/views/webclient_templates.xml, template `web.login`): a 200
 *   HTML page whose form has the class `oe_login_form` and the `login` and `password` inputs. It is
 *   rendered from the database (company logo, CSRF token), so it proves the registry and the
 *   database answer; /web/health (the ALB's check) does not touch the database.
 * - n8n 1.122's `/healthz/readiness`: 200 `{"status":"ok"}` once the database is connected and
 *   migrated, 503 `{"status":"error"}` otherwise. `/healthz` answers 200 as soon as the process
 *   listens, even with no database, so it would call a broken n8n healthy.
 * A redirect is a failure: /web/login redirects to the database selector when no database is
 * selected (which the ALB answers 403), and n8n never redirects its health endpoints.
 */
export const PROBE_EXPECTATIONS: Readonly<
  Record<ProbeTarget, { readonly path: string; readonly markers: readonly string[] }>
> = {
  odoo: { path: '/web/login', markers: ['oe_login_form', 'name="login"', 'name="password"'] },
  n8n: { path: '/healthz/readiness', markers: ['"status":"ok"'] },
};
