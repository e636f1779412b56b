import { RUNTIME_ALERT_CATALOGUE } from '../../lib/config/alert-runtime';
import { COMPONENT_IDS } from '../../lib/config/constants';
import {
  PROBE_VALIDATED_ALERTS,
  probeTargetOf,
  probeValidationProblems,
} from '../../lib/config/probe-validation';

describe('probe validation (seed 004 Alert Validation)', () => {
  test('every probe-validated alert is in the catalogue, is an incident, and is about the service it probes', () => {
    expect(probeValidationProblems(RUNTIME_ALERT_CATALOGUE)).toEqual([]);
    expect(Object.keys(PROBE_VALIDATED_ALERTS).length).toBeGreaterThan(0);
    for (const [name, target] of Object.entries(PROBE_VALIDATED_ALERTS)) {
      const alert = RUNTIME_ALERT_CATALOGUE.find((a) => a.name === name);
      expect(alert?.kind).toBe('incident');
      expect(COMPONENT_IDS).toContain(target);
      // The alert names the probed service as the one failing to answer.
      expect(alert?.description.toLowerCase()).toMatch(target === 'odoo' ? /to odoo/ : /to n8n/);
    }
  });

  test('a name the catalogue does not have is reported', () => {
    expect(probeValidationProblems([{ name: 'High_N8N_Odoo_Callback_Error_Rate' }])).toEqual([
      'probeValidation.High_Odoo_N8N_API_Error_Rate: not an alert of the catalogue',
    ]);
  });

  test('lookups: a validated alert has its target; others and inherited names have none', () => {
    expect(probeTargetOf('High_N8N_Odoo_Callback_Error_Rate')).toBe('odoo');
    expect(probeTargetOf('High_Odoo_N8N_API_Error_Rate')).toBe('n8n');
    expect(probeTargetOf('Odoo_Server_High_CPU')).toBeUndefined();
    expect(probeTargetOf('toString')).toBeUndefined();
  });
});
