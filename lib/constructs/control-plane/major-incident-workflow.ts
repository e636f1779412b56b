import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../../config/constants';
import {
  assertMajorIncidents,
  majorIncidentIssues,
  majorIncidentStateMachineName,
  STAKEHOLDER_LISTS,
  type MajorIncidentConfig,
  type StakeholderList,
} from '../../config/major-incidents';
import { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { Workflow } from '../workflow';
import { runbookUrl } from './runbook-link';

/** PagerDuty's Events API v2 endpoint (an EU-hosted PagerDuty account uses events.eu.pagerduty.com). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface MajorIncidentWorkflowProps {
  readonly environment: EnvironmentName;
  readonly config: MajorIncidentConfig;
  /** The control plane's state table: MAJOR#ACTIVE and MAJOR#<id> live there. */
  readonly table: dynamodb.ITableV2;
  /** Encrypts the stakeholder topics and the logs. */
  readonly key: kms.IKey;
  readonly logRetentionDays: number;
  /** Where runbooks/<name>.md are published (alerts.runbookBaseUrl): notices link the procedure. */
  readonly runbookBaseUrl: string;
  /** Overrides PagerDuty's Events API endpoint (PAGERDUTY_EVENTS_URL). */
  readonly pagerDutyEventsUrl?: string;
}

/**
 * The major-incident workflow (state-machines/major-incident.asl.json, seed 004 "Emergency
 * Notifications"): declared and ended by the Incident Commander from `ops declare-major` /
 * `ops end-major` or the Step Functions console. One encrypted SNS topic per stakeholder list with
 * its SMS and email subscriptions from config; the Record function (validation, the state table's
 * MAJOR# items, the notices) and the PagerDuty function (Events API v2, high urgency: the voice
 * path). Who may start it is an IAM decision: `declarePolicy` is the one policy that allows it.
 */
export class MajorIncidentWorkflow extends Construct {
  readonly workflow: Workflow;
  readonly topics: Readonly<Record<StakeholderList, sns.Topic>>;
  /** Attach to the Incident Commander's role (or SSO permission set): start, follow, nothing else. */
  readonly declarePolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: MajorIncidentWorkflowProps) {
    super(scope, id);
    const { config, environment } = props;
    // Fails synth naming the field: a prod major incident that would reach nobody.
    assertMajorIncidents(environment, majorIncidentIssues(environment, config));

    const topics = {} as Record<StakeholderList, sns.Topic>;
    for (const list of STAKEHOLDER_LISTS) {
      const topic = new sns.Topic(this, `${list}Topic`, {
        // The SMS sender shows the display name's start: the list says who the text is for.
        displayName: `InfluenceGen ${environment} major incident: ${list}`,
        masterKey: props.key,
        enforceSSL: true,
      });
      for (const phone of config.lists[list].phones)
        topic.addSubscription(new subscriptions.SmsSubscription(phone));
      for (const email of config.lists[list].emails)
        topic.addSubscription(new subscriptions.EmailSubscription(email));
      topics[list] = topic;
    }
    this.topics = topics;

    const pagerDutySecret = config.pagerDutyRoutingKeySecretName
      ? secretsmanager.Secret.fromSecretNameV2(
          this,
          'PagerDutyRoutingKey',
          config.pagerDutyRoutingKeySecretName,
        )
      : undefined;
    const fn = (name: string, description: string, environmentVariables: Record<string, string>) =>
      new ControlPlaneFunction(this, name, {
        name,
        description,
        environment: environmentVariables,
        logRetentionDays: props.logRetentionDays,
        logKey: props.key,
        timeout: Duration.seconds(30),
      });
    const record = fn(
      'major-record',
      'Major incident: validate, record (MAJOR#), render the notices, report',
      {
        ENVIRONMENT: environment,
        STATE_TABLE: props.table.tableName,
        MAJOR_RUNBOOK_URL: runbookUrl(props.runbookBaseUrl, 'runbooks/major_incident.md'),
        MAJOR_PAGERDUTY: pagerDutySecret ? 'enabled' : 'disabled',
      },
    );
    props.table.grantReadWriteData(record.function);
    const pagerDuty = fn(
      'major-pagerduty',
      'Major incident: page PagerDuty at high urgency (Events API v2)',
      {
        // Never invoked without a secret (Record reports the page as skipped); empty, it would fail.
        PAGERDUTY_ROUTING_KEY_SECRET: config.pagerDutyRoutingKeySecretName ?? '',
        PAGERDUTY_EVENTS_URL: props.pagerDutyEventsUrl ?? PAGERDUTY_EVENTS_URL,
      },
    );
    if (pagerDutySecret) {
      pagerDutySecret.grantRead(pagerDuty.function);
      acknowledgeWildcards(
        pagerDuty.role,
        [/^Resource::arn:<AWS::Partition>:secretsmanager:.+:secret:.+-\?\?\?\?\?\?$/],
        'Reading the one PagerDuty routing-key secret by name: Secrets Manager appends six random characters to a secret ARN.',
      );
    }

    this.workflow = new Workflow(this, 'Workflow', {
      name: 'major-incident',
      stateMachineName: majorIncidentStateMachineName(environment),
      logRetentionDays: props.logRetentionDays,
      logKey: props.key,
      substitutions: {
        RecordFunctionArn: record.function.functionArn,
        PagerDutyFunctionArn: pagerDuty.function.functionArn,
        ...Object.fromEntries(STAKEHOLDER_LISTS.map((l) => [`${l}TopicArn`, topics[l].topicArn])),
      },
    });
    const machine = this.workflow.stateMachine;
    for (const f of [record, pagerDuty]) f.function.grantInvoke(machine);
    // Publishing to an encrypted topic needs the key (grantPublish adds it for a topic's own key).
    for (const list of STAKEHOLDER_LISTS) topics[list].grantPublish(machine);
    acknowledgeWildcards(
      machine.role,
      [GRANT_ACTION_GROUPS.functionVersions, GRANT_ACTION_GROUPS.kms],
      "Invoking the workflow's own two functions (any version); key grant action groups on the control-plane key.",
    );

    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${majorIncidentStateMachineName(environment)}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Step Functions does not tell an execution who started it: who may start it is decided here.
    this.declarePolicy = new iam.ManagedPolicy(this, 'DeclarePolicy', {
      description: `Declare and end InfluenceGen ${environment} major incidents (ops declare-major / end-major, or the console), and follow them`,
      statements: [
        new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machine.stateMachineArn] }),
        new iam.PolicyStatement({
          actions: ['states:DescribeExecution'],
          resources: [executions],
        }),
      ],
    });
    acknowledgeWildcards(
      this.declarePolicy,
      [{ actions: ['states:DescribeExecution'], resources: executions }],
      "Following the major-incident workflow's own executions, whose names are known only when started.",
    );
    new CfnOutput(this, 'DeclarePolicyArn', {
      value: this.declarePolicy.managedPolicyArn,
      description: "Attach to the Incident Commander's role: declare, end and follow major incidents",
    });
  }
}
