import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../config/constants';
import { LAMBDA_BUNDLING, PROJECT_ROOT } from './bundling';
import { acknowledgeWildcards, ANY_RESOURCE, GRANT_ACTION_GROUPS } from './nag';
import { retentionDays } from './retention';

export { PROJECT_ROOT };

export interface ControlPlaneFunctionProps {
  /** Folder under lambdas/ whose index.ts exports `handler`. */
  readonly name: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly logRetentionDays: number;
  /** Encrypts the function's log group. */
  readonly logKey: kms.IKey;
  /** Runs the function in these private subnets (for database access). */
  readonly vpc?: ec2.IVpc;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Overrides `lambdas/<name>/index.ts`; tests use it to point at a fixture. */
  readonly entry?: string;
  /** A fixed function name, for functions operators call by name (the `ops` CLI). */
  readonly functionName?: string;
}

/**
 * The one way this project deploys a Lambda function. Every choice is made here, once:
 * - Node.js 24 on arm64 (Graviton: cheaper per GB-second, same code).
 * - Bundled by the locally installed esbuild, never Docker: synth works offline and in CI, with
 *   the settings in ./bundling.ts (minified, SDK bundled and tree-shaken, env-only credentials),
 *   and source maps (NODE_OPTIONS=--enable-source-maps) so stack traces stay readable.
 * - JSON logs (Lambda's structured format plus Powertools logger), INFO for the application and
 *   WARN for the platform, to an explicit, KMS-encrypted log group with retention; no log group is
 *   left for Lambda to create without retention.
 * - Its own role, granted only what its caller adds plus writing to its log group (no
 *   AWSLambdaBasicExecutionRole, which allows writing to every log group).
 * - X-Ray active tracing.
 * Infrastructure tests skip bundling with the `aws:cdk:bundling-stacks` context (see test/infra).
 */
export class ControlPlaneFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ControlPlaneFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionDays(props.logRetentionDays),
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) {
      // The ENI actions Lambda needs to attach to a VPC (the content of AWSLambdaVPCAccessExecutionRole).
      const eniActions = [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ];
      this.role.addToPolicy(new iam.PolicyStatement({ actions: eniActions, resources: ['*'] }));
      acknowledgeWildcards(
        this.role,
        [{ actions: eniActions, resources: ANY_RESOURCE }],
        'The network-interface actions Lambda uses to attach a function to its VPC (AWSLambdaVPCAccessExecutionRole) are granted on * as AWS documents them.',
      );
    }
    // Active tracing: aws-cdk-lib grants these two on *; X-Ray has no resource-level permissions.
    acknowledgeWildcards(
      this.role,
      [{ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ANY_RESOURCE }],
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
    );
    acknowledgeWildcards(
      this.role,
      [GRANT_ACTION_GROUPS.kms],
      'kms:GenerateDataKey*/ReEncrypt* are the action groups of grants on the one key that encrypts the resources the function was granted.',
    );
    // Callers that read metrics (scale-decision observe/verify, stall-check) add GetMetricData on *.
    acknowledgeWildcards(
      this.role,
      [{ actions: ['cloudwatch:GetMetricData'], resources: ANY_RESOURCE }],
      'cloudwatch:GetMetricData (read-only) supports no resource-level permissions.',
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry ?? path.join(PROJECT_ROOT, 'lambdas', props.name, 'index.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      functionName: props.functionName,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
      securityGroups: props.securityGroups,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.name,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourceMap,
        target: LAMBDA_BUNDLING.target,
        format: nodejs.OutputFormat.CJS,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_BUNDLING.alias).map(([from, to]) => [`--alias:${from}`, to]),
        ),
        forceDockerBundling: false,
      },
    });
  }
}

/** The control-plane functions under a construct (a workflow's, the stack's), in creation order. */
export function functionsUnder(scope: IConstruct): ControlPlaneFunction[] {
  return scope.node.findAll().filter((c): c is ControlPlaneFunction => c instanceof ControlPlaneFunction);
}
