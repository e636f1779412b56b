import * as z from 'zod/mini';
import { ALARM_STATES, type AlarmKind, type Delivery, type Signal } from '../signals/types';

/**
 * The `signal` of a workflow input, one strict schema per signal type: exactly the fields the
 * router's normaliser (lambdas/core/signals) or a raising workflow (workflowEscalation) produces
 * for that type, its optional fields included, and nothing else. The type checks at the end of
 * this module fail the build when a schema and its Signal type drift apart; a new Signal type
 * fails it until it has an entry in buildSignalSchemas (or is listed in RoutedOnlySignalType).
 */

/** Signal types the router handles itself and never hands to a workflow. */
export type RoutedOnlySignalType = 'execution-failed';

/** The signal types a workflow input may carry. */
export type WorkflowSignalType = Exclude<Signal['type'], RoutedOnlySignalType>;

type OfType<S, T> = S extends { readonly type: infer U } ? (T extends U ? S : never) : never;
/** The member of the Signal union whose `type` may be T (restore-job and recovery-point share one). */
export type SignalOf<T extends Signal['type']> = OfType<Signal, T>;
export type WorkflowSignal = SignalOf<WorkflowSignalType>;

const ALARM_KINDS = ['metric', 'metric-math', 'anomaly', 'composite', 'insights', 'unknown'] as const;
const DELIVERIES = ['eventbridge', 'lambda-action', 'sns'] as const;

/** Built on first use, so a bundle that only imports a constant from a request module pulls none of it. */
function buildSignalSchemas() {
  const Text = z.string();
  const Id = z.string().check(z.minLength(1));
  const Time = z
    .string()
    .check(
      z.refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time such as 2026-11-23T10:00:00Z'),
    );
  // z.enum of one value rather than z.literal: the same check and message, one schema class less.
  const backupStatus = <T extends 'restore-job' | 'recovery-point'>(type: T) =>
    z.strictObject({
      type: z.enum([type]),
      eventId: Id,
      time: Time,
      status: Id,
      resourceArn: z.optional(Text),
      restoreJobId: z.optional(Id),
    });

  return {
    alarm: z.strictObject({
      type: z.enum(['alarm']),
      alarmName: Id,
      state: z.enum(ALARM_STATES),
      previousState: z.optional(z.enum(ALARM_STATES)),
      stateChangeTime: Time,
      reason: Text,
      alarmKind: z.enum(ALARM_KINDS),
      delivery: z.enum(DELIVERIES),
      account: z.optional(Text),
      region: z.optional(Text),
      actionsSuppressedBy: z.optional(Text),
      triggeringAlarms: z.optional(z.readonly(z.array(Text))),
    }),
    'backup-job': z.strictObject({
      type: z.enum(['backup-job']),
      eventId: Id,
      time: Time,
      jobId: Id,
      state: Id,
      resourceArn: z.optional(Text),
      resourceType: z.optional(Text),
      vaultName: z.optional(Text),
      sizeBytes: z.optional(z.number().check(z.nonnegative())),
      statusMessage: z.optional(Text),
    }),
    'restore-job': backupStatus('restore-job'),
    'recovery-point': backupStatus('recovery-point'),
    'ecs-service-action': z.strictObject({
      type: z.enum(['ecs-service-action']),
      eventId: Id,
      time: Time,
      eventName: Id,
      clusterArn: Id,
      serviceName: Id,
      reason: z.optional(Text),
    }),
    schedule: z.strictObject({
      type: z.enum(['schedule']),
      time: Time,
      schedule: Id,
    }),
    workflow: z.strictObject({
      type: z.enum(['workflow']),
      workflow: Id,
      eventId: Id,
      time: Time,
      detail: Text,
    }),
  } satisfies { readonly [T in WorkflowSignalType]: z.ZodMiniType<SignalOf<T>> };
}

type SignalSchemas = ReturnType<typeof buildSignalSchemas>;
let schemas: SignalSchemas | undefined;

/** One strict schema per signal type a workflow accepts (one entry per type). */
export function signalSchemas(): SignalSchemas {
  return (schemas ??= buildSignalSchemas());
}

/** The signal types a workflow accepts, in the order of the schemas. */
export function workflowSignalTypes(): WorkflowSignalType[] {
  return Object.keys(signalSchemas()) as WorkflowSignalType[];
}

// Compile-time checks: each schema has exactly the fields of its Signal type, optional where the
// type's are, and the enums above list exactly the members of their types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];
type Matches<T extends WorkflowSignalType> =
  z.output<SignalSchemas[T]> extends SignalOf<T>
    ? Same<keyof z.output<SignalSchemas[T]>, keyof SignalOf<T>> extends true
      ? Same<RequiredKeys<z.output<SignalSchemas[T]>>, RequiredKeys<SignalOf<T>>>
      : false
    : false;
type Mismatched = { [T in WorkflowSignalType]: Matches<T> extends true ? never : T }[WorkflowSignalType];
type None<T extends never> = T;
/** Fails the build naming a signal type whose schema does not match its Signal type. */
export type SignalSchemasMismatched = None<Mismatched>;
type True<T extends true> = T;
/** Fails the build when AlarmKind or Delivery gain a member the schemas do not list. */
export type SignalEnumsComplete = [
  True<Same<AlarmKind, (typeof ALARM_KINDS)[number]>>,
  True<Same<Delivery, (typeof DELIVERIES)[number]>>,
];
