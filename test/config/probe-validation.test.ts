import { RUNTIME_ALERT_CATALOGUE } from '../../lib/config/alert-runtime';
import { COMPONENT_IDS } from '../../lib/config/constants';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROBE_FUNCTION_TIMEOUT_SECONDS, PROBE_TIMEOUT_SECONDS } from '../../lib/config/probes';
import { STATE_MACHINES_DIR } from '../../lib/constructs/workflow';
import {
  PROBE_TASK_TIMEOUT_SECONDS,
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

describe('the probe before paging (state ProbeService)', () => {
  const probe = (
    JSON.parse(fs.readFileSync(path.join(STATE_MACHINES_DIR, 'escalation.asl.json'), 'utf8')) as {
      States: Record<
        string,
        { TimeoutSeconds?: number; Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[] }
      >;
    }
  ).States.ProbeService;

  test("times out after the probe's own deadline and before the function's: a hung probe is given up sooner", () => {
    expect(probe?.TimeoutSeconds).toBe(PROBE_TASK_TIMEOUT_SECONDS);
    expect(PROBE_TASK_TIMEOUT_SECONDS).toBeGreaterThan(PROBE_TIMEOUT_SECONDS);
    expect(PROBE_TASK_TIMEOUT_SECONDS).toBeLessThan(PROBE_FUNCTION_TIMEOUT_SECONDS);
    // The longest a probe that hangs every time holds the first page back: each attempt, the backoff between.
    const retrier = probe?.Retry?.find((r) => r.ErrorEquals.includes('States.Timeout'));
    const attempts = 1 + (retrier?.MaxAttempts ?? 3);
    expect(attempts * PROBE_TASK_TIMEOUT_SECONDS + 1 + 2 + 4).toBeLessThan(180);
  });
});
