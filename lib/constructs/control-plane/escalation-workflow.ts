import { ArnFormat, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { alarmNamePrefix } from '../../config/naming';
import { resolveAcknowledgers } from '../../config/schema';
import type { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { Workflow } from '../workflow';
import { controlPlaneNames } from '../../config/naming';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';
import { TICKET_FUNCTION_TIMEOUT_SECONDS, type TicketingConfig } from '../../config/ticketing';

/** What the escalation workflow adds to the runtime: tickets, and the probe before paging. */
export interface EscalationOptions {
  /** The environment's ticketing (lib/config/ticketing.ts); absent: no tickets (`system: none`). */
  readonly ticketing?: TicketingConfig;
  /**
   * The health probe (lambdas/health-probe) run before the first page of a 'Service Unresponsive'
   * alert (lib/config/probe-validation.ts); absent: nothing is validated, every alert pages.
   */
  readonly healthProbe?: lambda.IFunction;
}

/**
 * The escalation workflow (state-machines/escalation.asl.json) with its functions, and the
 * acknowledgement path: the incident-ack function, invoked by `ops ack` or through its function
 * URL, both IAM-authenticated. The router (AlarmRouter) is its trigger.
 */
export class EscalationWorkflow extends Construct {
  readonly workflow: Workflow;
  readonly ackFunction: ControlPlaneFunction;
  readonly ackUrl: lambda.FunctionUrl;
  /** Opens and updates the incidents' tickets (state OpenTicket and the SyncTicket states). */
  readonly ticketFunction: ControlPlaneFunction;

  constructor(scope: Construct, id: string, runtime: ControlPlaneRuntime, options: EscalationOptions = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = controlPlaneNames(runtime.environment);
    // Formatted, not referenced: the functions' task-token grants would otherwise depend on the
    // state machine, which depends on the functions.
    const stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: names.escalation,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const environment = runtimeEnvironment(this, runtime);
    const fn = (
      name: string,
      description: string,
      extra: { functionName?: string; environment?: Record<string, string>; timeoutSeconds?: number } = {},
    ) =>
      runtimeFunction(
        this,
        runtime,
        { ...environment, ...extra.environment },
        {
          name,
          description,
          timeoutSeconds: extra.timeoutSeconds ?? 30,
          ...(extra.functionName ? { functionName: extra.functionName } : {}),
        },
      );

    const ticketing = options.ticketing ?? { system: 'none' };
    const register = fn(
      'escalation-register',
      'Escalation: dedup, correlate, suppress, decide whether to page',
      {
        // Register marks the alerts to validate only when a probe is there to run.
        environment: { HEALTH_PROBE: options.healthProbe ? 'enabled' : 'disabled' },
      },
    );
    this.ticketFunction = fn(
      'escalation-ticket',
      'Escalation: open and update the ticket of a new Critical, High or Medium incident',
      {
        environment: { TICKETING: JSON.stringify(ticketing) },
        timeoutSeconds: TICKET_FUNCTION_TIMEOUT_SECONDS,
      },
    );
    const notify = fn('escalation-notify', 'Escalation: page one level on its channels');
    const awaitAck = fn(
      'escalation-await-ack',
      'Escalation: keep the task token of a step waiting for an acknowledgement',
    );
    const resolve = fn('escalation-resolve', 'Escalation: resolve an incident and notify the channels paged');
    this.ackFunction = fn(
      'incident-ack',
      'Acknowledge an incident (ops ack, function URL); IAM-authenticated',
      { functionName: names.ackFunction },
    );

    for (const f of [register, notify, awaitAck, resolve, this.ackFunction, this.ticketFunction])
      runtime.table.grantReadWriteData(f.function);
    if (ticketing.system !== 'none') {
      const secret = ticketing.secret.startsWith('arn:')
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'TicketingSecret', ticketing.secret)
        : secretsmanager.Secret.fromSecretNameV2(this, 'TicketingSecret', ticketing.secret);
      secret.grantRead(this.ticketFunction.function);
      acknowledgeWildcards(
        this.ticketFunction.role,
        [/^Resource::arn:<AWS::Partition>:secretsmanager:.+:secret:.+-\?\?\?\?\?\?$/],
        'Reading the one ticketing secret by name: Secrets Manager appends six random characters to a secret ARN.',
      );
    }
    for (const f of [awaitAck, this.ackFunction]) {
      f.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: [stateMachineArn],
        }),
      );
    }

    this.workflow = new Workflow(this, 'Workflow', {
      name: 'escalation',
      stateMachineName: names.escalation,
      logRetentionDays: runtime.logRetentionDays,
      logKey: runtime.key,
      substitutions: {
        RegisterFunctionArn: register.function.functionArn,
        NotifyFunctionArn: notify.function.functionArn,
        AwaitAckFunctionArn: awaitAck.function.functionArn,
        ResolveFunctionArn: resolve.function.functionArn,
        TicketFunctionArn: this.ticketFunction.function.functionArn,
        // Without a probe the state is never entered (Register marks nothing): the ARN of no function.
        HealthProbeFunctionArn:
          options.healthProbe?.functionArn ??
          stack.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: `${names.escalation}-no-health-probe`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
      },
    });
    for (const f of [register, notify, awaitAck, resolve, this.ticketFunction])
      f.function.grantInvoke(this.workflow.stateMachine);
    options.healthProbe?.grantInvoke(this.workflow.stateMachine);
    // Notify and Resolve publish the pages themselves, under the incident's group lock, so that a
    // page and the resolution Register commits under the same lock are ordered (a direct sns:publish
    // from the workflow could go out after the resolution). The workflow completes a resolved
    // incident's waiting step directly.
    for (const topic of Object.values(runtime.topics)) {
      topic.grantPublish(notify.function);
      topic.grantPublish(resolve.function);
    }
    this.workflow.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }),
    );
    // The confirmation checks read the alarm's state directly (an SDK integration, no Lambda).
    this.workflow.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: `${alarmNamePrefix(runtime.environment)}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    // A probe imported by its ARN (not a function of this app) has its versions granted literally.
    const probeArn = options.healthProbe?.functionArn;
    const importedProbe =
      probeArn && !Token.isUnresolved(probeArn)
        ? [new RegExp(`^Resource::${probeArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\*$`)]
        : [];
    acknowledgeWildcards(
      this.workflow.stateMachine.role,
      [
        GRANT_ACTION_GROUPS.functionVersions,
        ...importedProbe,
        /^Resource::arn:.+:cloudwatch:.+:alarm:influencegen-[a-z]+-\*$/,
        GRANT_ACTION_GROUPS.kms,
      ],
      "Invoking the workflow's own functions and the health probe (any version), and reading the state of this environment's alarms (named by prefix).",
    );

    this.ackUrl = this.ackFunction.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    // Who may acknowledge (alerts.acknowledgers), in the function's resource policy as well as in
    // its code: the code is the authority (it checks the identity STS verifies from the request's
    // signed proof), the policy keeps everyone else from reaching it across accounts.
    // Explicit ids: the ARNs carry the account token, which a derived construct id cannot.
    resolveAcknowledgers(runtime.acknowledgers ?? [], stack.account).forEach((arn, i) => {
      const principal = new iam.ArnPrincipal(arn);
      this.ackFunction.function.addPermission(`Acknowledger${i}Invoke`, {
        principal,
        action: 'lambda:InvokeFunction',
      });
      this.ackFunction.function.addPermission(`Acknowledger${i}InvokeUrl`, {
        principal,
        action: 'lambda:InvokeFunctionUrl',
        functionUrlAuthType: lambda.FunctionUrlAuthType.AWS_IAM,
      });
    });
    new CfnOutput(this, 'AckUrl', {
      value: this.ackUrl.url,
      description:
        'IAM-authenticated acknowledgement endpoint (POST {"incidentId","comment","proof"}; ops ack builds the proof)',
    });
    new CfnOutput(this, 'AckFunctionName', {
      value: this.ackFunction.function.functionName,
      description: 'Invoked by ops ack',
    });
  }
}
