import * as z from 'zod/mini';
import { ALERT_CATALOGUE } from '../../../lib/config/alerts';
import type { AlertDefinition } from '../../../lib/config/alert-schema';
import type { EscalationInput } from './types';
import { InvalidInputError } from '../invalid-input';

/**
 * The escalation workflow's input, as the router sends it and as an operator may type it in the
 * console. The catalogue, not the input, decides severity and routing: only the alert's name is
 * trusted from the input.
 */
const SignalSchema = z
  .looseObject({
    type: z.enum([
      'alarm',
      'backup-job',
      'restore-job',
      'recovery-point',
      'ecs-service-action',
      'schedule',
      'workflow',
    ]),
  })
  .check(
    z.superRefine((s, ctx) => {
      const fields =
        s.type === 'alarm'
          ? ['alarmName', 'state', 'stateChangeTime']
          : s.type === 'schedule'
            ? ['schedule', 'time']
            : ['eventId', 'time'];
      for (const field of fields) {
        if (typeof (s as Record<string, unknown>)[field] !== 'string') {
          ctx.issues.push({
            code: 'custom',
            path: [field],
            message: `is required for a ${s.type} signal`,
            input: s,
          });
        }
      }
    }),
  );

export const EscalationInputSchema = z.object({
  alert: z.looseObject({
    name: z
      .string()
      .check(z.refine((n) => ALERT_CATALOGUE.some((a) => a.name === n), 'is not in the alert catalogue')),
  }),
  subject: z.string().check(z.minLength(1)),
  state: z.enum(['ALARM', 'OK']),
  signal: SignalSchema,
});

export function parseEscalationInput(raw: unknown): { input: EscalationInput; alert: AlertDefinition } {
  const parsed = EscalationInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(
      `input.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const alert = ALERT_CATALOGUE.find((a) => a.name === parsed.data.alert.name) as AlertDefinition;
  return { input: parsed.data as unknown as EscalationInput, alert };
}
