import { z } from 'zod';
import { ALERT_CATALOGUE } from '../../../lib/config/alerts';
import type { AlertDefinition } from '../../../lib/config/alert-schema';
import type { EscalationInput } from './types';

/**
 * The escalation workflow's input, as the router sends it and as an operator may type it in the
 * console. The catalogue, not the input, decides severity and routing: only the alert's name is
 * trusted from the input.
 */
const SignalSchema = z
  .object({
    type: z.enum(['alarm', 'backup-job', 'restore-job', 'recovery-point', 'ecs-service-action', 'schedule']),
  })
  .passthrough()
  .superRefine((s, ctx) => {
    const need = (field: string) => {
      if (typeof (s as Record<string, unknown>)[field] !== 'string') {
        ctx.addIssue({ code: 'custom', path: [field], message: `is required for a ${s.type} signal` });
      }
    };
    if (s.type === 'alarm') ['alarmName', 'state', 'stateChangeTime'].forEach(need);
    else if (s.type === 'schedule') ['schedule', 'time'].forEach(need);
    else ['eventId', 'time'].forEach(need);
  });

export const EscalationInputSchema = z.object({
  alert: z
    .object({
      name: z
        .string()
        .refine((n) => ALERT_CATALOGUE.some((a) => a.name === n), 'is not in the alert catalogue'),
    })
    .passthrough(),
  subject: z.string().min(1),
  state: z.enum(['ALARM', 'OK']),
  signal: SignalSchema,
});

/** Thrown for input a person must fix; the workflow does not retry it. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

export function parseEscalationInput(raw: unknown): { input: EscalationInput; alert: AlertDefinition } {
  const parsed = EscalationInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`input.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const alert = ALERT_CATALOGUE.find((a) => a.name === parsed.data.alert.name) as AlertDefinition;
  return { input: parsed.data as unknown as EscalationInput, alert };
}

export function catalogueAlert(name: string): AlertDefinition {
  const alert = ALERT_CATALOGUE.find((a) => a.name === name);
  if (!alert) throw new InvalidInputError(`alert ${name} is not in the alert catalogue`);
  return alert;
}
