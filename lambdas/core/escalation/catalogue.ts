import { RUNTIME_ALERT_CATALOGUE, type RuntimeAlert } from '../../../lib/config/alert-runtime';
import { InvalidInputError } from '../invalid-input';

/**
 * The catalogue's entry for an alert, as the handlers read it (lib/config/alert-runtime.ts: no
 * alarm definitions); on its own module so a lookup pulls no input schema.
 */
export function catalogueAlert(name: string): RuntimeAlert {
  const alert = RUNTIME_ALERT_CATALOGUE.find((a) => a.name === name);
  if (!alert) throw new InvalidInputError(`alert ${name} is not in the alert catalogue`);
  return alert;
}
