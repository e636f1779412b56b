import * as fs from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './control-plane-function';
import { acknowledgeWildcards, ANY_RESOURCE } from './nag';
import { retentionDays } from './retention';

export const STATE_MACHINES_DIR = path.join(PROJECT_ROOT, 'state-machines');

/**
 * What aws-cdk-lib grants a state machine on `*` for X-Ray tracing and for vended log delivery to
 * CloudWatch Logs: neither service has resource-level permissions for these actions.
 */
export const STATE_MACHINE_LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

const STATE_MACHINE_TRACING_AND_LOGGING_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  ...STATE_MACHINE_LOG_DELIVERY_ACTIONS,
];

export interface WorkflowProps {
  /** File name without `.asl.json` under state-machines/ (or `definitionFile`). */
  readonly name: string;
  /** Values for every `${Name}` placeholder in the definition: ARNs, table names, topic ARNs. */
  readonly substitutions: Record<string, string>;
  readonly logRetentionDays: number;
  readonly logKey: kms.IKey;
  /** Overrides state-machines/<name>.asl.json; tests use it to point at a fixture. */
  readonly definitionFile?: string;
  /**
   * A fixed name, for workflows whose ARN other resources must know without referencing the state
   * machine (its task-token grants would otherwise make a dependency cycle).
   */
  readonly stateMachineName?: string;
}

/**
 * One Step Functions Standard workflow, defined by a checked-in `state-machines/NAME.asl.json`
 * (the same file the tests and the simulator execute), with full execution logging and X-Ray.
 * A placeholder without a value, or a value no placeholder uses, fails synth: both mean the
 * definition and the stack have drifted apart.
 */
export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const file = props.definitionFile ?? path.join(STATE_MACHINES_DIR, `${props.name}.asl.json`);
    checkSubstitutions(file, props.substitutions);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps Step Functions from growing the account's log resource policy.
      logGroupName: `/aws/vendedlogs/states/${props.name}-${this.node.addr.slice(0, 8)}`,
      retention: retentionDays(props.logRetentionDays),
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      stateMachineName: props.stateMachineName,
      definitionBody: sfn.DefinitionBody.fromFile(file),
      // CloudFormation rejects an empty DefinitionSubstitutions object: leave it out instead.
      definitionSubstitutions: Object.keys(props.substitutions).length > 0 ? props.substitutions : undefined,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    // aws-cdk-lib grants these on * for `tracingEnabled` and `logs`.
    acknowledgeWildcards(
      this.stateMachine.role,
      [{ actions: STATE_MACHINE_TRACING_AND_LOGGING_ACTIONS, resources: ANY_RESOURCE }],
      'X-Ray tracing and CloudWatch Logs log delivery (logs:CreateLogDelivery and friends) support no resource-level permissions.',
    );
  }
}

/** Placeholders as Step Functions' DefinitionSubstitutions understands them: `${Name}`. */
export function placeholdersOf(definition: string): Set<string> {
  return new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string));
}

function checkSubstitutions(file: string, substitutions: Record<string, string>): void {
  if (!fs.existsSync(file)) throw new Error(`Workflow definition ${file} does not exist`);
  const text = fs.readFileSync(file, 'utf8');
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`Workflow definition ${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const used = placeholdersOf(text);
  const missing = [...used].filter((p) => !(p in substitutions));
  const unused = Object.keys(substitutions).filter((k) => !used.has(k));
  if (missing.length > 0) {
    throw new Error(`Workflow ${path.basename(file)} has placeholders without values: ${missing.join(', ')}`);
  }
  if (unused.length > 0) {
    throw new Error(
      `Workflow ${path.basename(file)} is given values no placeholder uses: ${unused.join(', ')}`,
    );
  }
}
