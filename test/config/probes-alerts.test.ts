import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogueSchemaProblems } from '../../lib/config';
import {
  ALERT_CATALOGUE,
  INTERNAL_ALARM_CATALOGUE,
  catalogueProblems,
  composeAlerts,
  composeInternalAlarms,
} from '../../lib/config/alerts';
import {
  PROBE_ALERT_INFRASTRUCTURE,
  PROBE_INTERNAL_ALARM_INFRASTRUCTURE,
  probeTargetValues,
} from '../../lib/config/probes-alerts';
import { PROBE_RUNTIME_ALERTS, PROBE_RUNTIME_INTERNAL_ALARMS } from '../../lib/config/probes-alert-runtime';

/**
 * The probe and SLO alerts as the catalogue splices them in: composed by the catalogue's own
 * functions, checked by its schema and cross-entry rules together with every existing alert.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const composed = composeAlerts(PROBE_RUNTIME_ALERTS, PROBE_ALERT_INFRASTRUCTURE);
const composedInternal = composeInternalAlarms(
  PROBE_RUNTIME_INTERNAL_ALARMS,
  PROBE_INTERNAL_ALARM_INFRASTRUCTURE,
);

describe('the probe and SLO catalogue entries', () => {
  test('both halves compose with no problem', () => {
    expect(composed.problems).toEqual([]);
    expect(composedInternal.problems).toEqual([]);
    expect(composed.alerts.map((a) => [a.name, a.severity, a.signal.type])).toEqual([
      ['Odoo_Cluster_Node_Unhealthy', 'High', 'metric-math'],
      ['Odoo_Availability_SLO_Fast_Burn', 'Critical', 'composite'],
      ['Odoo_Availability_SLO_Slow_Burn', 'High', 'composite'],
      ['Odoo_Availability_SLO_Budget_Burn', 'High', 'composite'],
      ['Recovery_Time_Objective_At_Risk', 'Critical', 'metric'],
    ]);
  });

  test("they pass the catalogue's schema and its cross-entry rules, spliced into the catalogue", () => {
    expect(catalogueSchemaProblems(composed.alerts, composedInternal.alarms)).toEqual([]);
    expect(catalogueProblems(ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE)).toEqual([]);
    // Spliced into the catalogue once each, as composed here.
    for (const alert of composed.alerts)
      expect(ALERT_CATALOGUE.filter((a) => a.name === alert.name)).toEqual([alert]);
    for (const alarm of composedInternal.alarms)
      expect(INTERNAL_ALARM_CATALOGUE.filter((a) => a.name === alarm.name)).toEqual([alarm]);
  });

  test('every runbook exists and names its alert and severity', () => {
    for (const alert of composed.alerts) {
      const file = path.join(ROOT, alert.runbook);
      expect(fs.existsSync(file)).toBe(true);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain(alert.name);
      expect(text).toContain(`**${alert.severity}**`);
    }
  });

  test('the RTO alert is an incident of the backups, never held by a maintenance window', () => {
    const rto = composed.alerts.find((a) => a.name === 'Recovery_Time_Objective_At_Risk');
    expect(rto).toMatchObject({
      kind: 'incident',
      component: 'backup',
      suppressedByMaintenance: false,
      correlationGroup: 'backup_status',
    });
  });

  test('the probe dimension targets take the three AZs in order; anything but three fails naming the field', () => {
    expect(probeTargetValues(['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])).toEqual({
      'probe:odoo': 'odoo',
      'probe-zone:1': 'eu-west-1a',
      'probe-zone:2': 'eu-west-1b',
      'probe-zone:3': 'eu-west-1c',
    });
    expect(() => probeTargetValues(['eu-west-1a', 'eu-west-1b'])).toThrow(
      'zones: the quorum needs 3 AZs, got 2',
    );
  });
});
