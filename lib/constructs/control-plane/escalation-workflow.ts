import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { alarmNamePrefix } from '../../config/naming';
import { resolveAcknowledgers } from '../../config/schema';
import type { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { Workflow } from '../workflow';
import { controlPlaneNames } from '../../config/naming';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';

/**
 * The escalation workflow (state-machines/escalation.asl.json) with its functions, and the
 * acknowledgement path: the incident-ack function, invoked by `ops ack` or through its function
 * URL, both IAM-authenticated. The router (AlarmRouter) is its trigger.
 */
export class EscalationWorkflow extends Construct {
  readonly workflow: Workflow;
  readonly ackFunction: ControlPlaneFunction;
  readonly ackUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, runtime: ControlPlaneRuntime) {
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
    const fn = (name: string, description: string, extra: { functionName?: string } = {}) =>
      runtimeFunction(this, runtime, environment, { name, description, timeoutSeconds: 30, ...extra });

    const register = fn(
      'escalation-register',
      'Escalation: dedup, correlate, suppress, decide whether to page',
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

    for (const f of [register, notify, awaitAck, resolve, this.ackFunction])
      runtime.table.grantReadWriteData(f.function);
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
      },
    });
    for (const f of [register, notify, awaitAck, resolve]) f.function.grantInvoke(this.workflow.stateMachine);
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

    acknowledgeWildcards(
      this.workflow.stateMachine.role,
      [
        GRANT_ACTION_GROUPS.functionVersions,
        /^Resource::arn:.+:cloudwatch:.+:alarm:influencegen-[a-z]+-\*$/,
        GRANT_ACTION_GROUPS.kms,
      ],
      "Invoking the workflow's own four functions (any version), and reading the state of this environment's alarms (named by prefix).",
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
