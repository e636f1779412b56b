import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { alarmName } from '../../lib/config/naming';

export interface CatalogEntry {
  readonly alarmName: string;
  readonly kind: string;
  readonly component: string;
  readonly severity: string;
  readonly runbook: string;
}

/** `ops catalog`: the alert catalogue of an environment, as JSON. */
export function catalog(envName: string): CatalogEntry[] {
  return ALERT_CATALOGUE.map((a) => ({
    alarmName: alarmName(envName, a.name),
    kind: a.kind,
    component: a.component,
    severity: a.severity,
    runbook: a.runbook,
  }));
}
