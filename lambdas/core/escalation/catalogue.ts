import { ALERT_CATALOGUE } from '../../../lib/config/alerts';
import type { AlertDefinition } from '../../../lib/config/alert-schema';
import { InvalidInputError } from '../invalid-input';

/** The catalogue's definition of an alert; on its own module so a lookup pulls no input schema. */
export function catalogueAlert(name: string): AlertDefinition {
  const alert = ALERT_CATALOGUE.find((a) => a.name === name);
  if (!alert) throw new InvalidInputError(`alert ${name} is not in the alert catalogue`);
  return alert;
}
