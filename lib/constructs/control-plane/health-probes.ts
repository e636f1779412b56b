import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ChannelId } from '../../config/constants';
import { watchAlarmName } from '../../config/naming';
import {
  PROBE_FUNCTION_TIMEOUT_SECONDS,
  PROBE_METRICS,
  PROBE_QUORUM,
  PROBE_SILENT_AGENT_MINUTES,
  PROBE_TIMEOUT_SECONDS,
  type ProbeTarget,
} from '../../config/probes';
import type { ProbesConfig } from '../../config/probes-schema';
import { ControlPlaneFunction } from '../control-plane-function';
import { runbookUrl } from './runbook-link';

export interface HealthProbesProps {
  readonly environment: string;
  /** The probes run in its private subnets (with NAT egress), one agent per AZ. */
  readonly vpc: ec2.IVpc;
  readonly config: ProbesConfig;
  /**
   * Base URL of each target as users reach it: `https://<odoo domainName>` and
   * `https://<n8n domainName>`, through the internet-facing ALB (DNS, TLS, WAF, listener rules).
   */
  readonly targets: Readonly<Record<ProbeTarget, string>>;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
  /**
   * Who hears that an agent went silent (direct alarm actions, as the watcher's), and where the
   * runbooks are published; absent, no silent-agent alarm is made.
   */
  readonly silentAgentAlarms?: {
    readonly topics: Readonly<Partial<Record<ChannelId, sns.ITopic>>>;
    readonly channels: readonly ChannelId[];
    readonly runbookBaseUrl: string;
  };
}

/** The zone label of an agent outside the VPC (the third agent where the VPC spans two AZs). */
export const OUTSIDE_VPC = 'outside-vpc';

/** The runbook section the silent-agent alarms link. */
const SILENT_AGENT_RUNBOOK = { runbook: 'runbooks/odoo_cluster_node_unhealthy.md', section: 'silent-agent' };

/**
 * The health probes of seed 004: three agents, each a function pinned to one AZ's private subnet (in
 * a two-AZ VPC the third runs outside the VPC) and run every minute by its own EventBridge rule,
 * probing Odoo's login page and n8n's readiness endpoint through the public host names and
 * publishing ProbeSuccess/ProbeLatencyMs by Target and AvailabilityZone (the quorum alarm's and the
 * SLO's inputs); an alarm per agent that falls silent; and a validator in every private subnet,
 * which the escalation workflow invokes (`{"mode":"validate",...}`) before paging a "Service
 * Unresponsive" alert. Their security group sends HTTPS out and nothing else.
 */
export class HealthProbes extends Construct {
  /** One per AZ, in the order of `zones`. */
  readonly agents: readonly ControlPlaneFunction[];
  /** The function the escalation workflow invokes to validate an alert. */
  readonly validator: ControlPlaneFunction;
  /** The AZ of each agent (`outside-vpc` for one outside it): the probe-zone:1..3 dimension targets. */
  readonly zones: readonly string[];
  readonly securityGroup: ec2.SecurityGroup;
  readonly schedules: readonly events.Rule[];
  /** One per agent when scheduled and `silentAgentAlarms` is given: no probe published for 10 minutes. */
  readonly silentAgentAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: HealthProbesProps) {
    super(scope, id);
    const { vpc } = props;
    const byZone = new Map<string, ec2.ISubnet>();
    for (const subnet of vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets)
      if (!byZone.has(subnet.availabilityZone)) byZone.set(subnet.availabilityZone, subnet);
    if (byZone.size < 2)
      throw new Error(`vpc: the probe quorum needs private subnets in at least 2 AZs, found ${byZone.size}`);
    // Three AZs (prod): one agent in each. Two (staging, dev): the third agent runs outside the VPC,
    // in Lambda's own network, reaching the public host names without NAT: still a vantage point
    // independent of the other two, where a second agent in a used AZ would not be.
    const placed = [...byZone.entries()].slice(0, PROBE_QUORUM.size);
    this.zones = [
      ...placed.map(([zone]) => zone),
      ...(placed.length < PROBE_QUORUM.size ? [OUTSIDE_VPC] : []),
    ];

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Health probes: HTTPS to the public host names of Odoo and n8n, nothing else',
      allowAllOutbound: false,
    });
    // The ALB is internet-facing and its addresses change: the probes reach its public host names
    // through the NAT gateways, as a user's browser would (DNS goes to the VPC resolver, which
    // security groups do not filter).
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the public host names of Odoo and n8n (ALB)',
    );

    const make = (id: string, zone: string, description: string, inVpc = true) =>
      new ControlPlaneFunction(this, id, {
        name: 'health-probe',
        description,
        environment: {
          PROBE_CONFIG: Stack.of(this).toJsonString({
            zone,
            targets: props.targets,
            timeoutMs: PROBE_TIMEOUT_SECONDS * 1000,
          }),
        },
        timeout: Duration.seconds(PROBE_FUNCTION_TIMEOUT_SECONDS),
        logRetentionDays: props.logRetentionDays,
        logKey: props.logKey,
        ...(inVpc ? { vpc, securityGroups: [this.securityGroup] } : {}),
      });

    const agentDescription = (i: number) =>
      `Health probe agent ${i + 1} of ${PROBE_QUORUM.size} (${this.zones[i]}): Odoo and n8n every minute`;
    const pinned = placed.map(([, subnet], i) => {
      const agent = make(`Agent${i + 1}`, this.zones[i] as string, agentDescription(i));
      // ControlPlaneFunction places a VPC function in every private subnet; an agent must stay in
      // its own AZ, or the quorum would not be three independent vantage points.
      (agent.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('VpcConfig.SubnetIds', [
        subnet.subnetId,
      ]);
      return agent;
    });
    const outside =
      placed.length < PROBE_QUORUM.size
        ? [make(`Agent${PROBE_QUORUM.size}`, OUTSIDE_VPC, agentDescription(PROBE_QUORUM.size - 1), false)]
        : [];
    this.agents = [...pinned, ...outside];
    // A probe that starts late measures nothing useful: no retries, dropped once its round is over.
    const round = Duration.minutes(props.config.everyMinutes);
    for (const agent of this.agents)
      agent.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: round });
    this.validator = make(
      'Validator',
      'multi-az',
      'Health probe on demand: validates a Service Unresponsive alert before it pages',
    );

    this.schedules = this.agents.map(
      (agent, i) =>
        new events.Rule(this, `Schedule${i + 1}`, {
          description: `${props.environment}: health probe agent ${i + 1} (${this.zones[i]}) every minute`,
          schedule: events.Schedule.rate(Duration.minutes(props.config.everyMinutes)),
          enabled: props.config.scheduled,
          targets: [
            new targets.LambdaFunction(agent.function, {
              event: events.RuleTargetInput.fromObject({ mode: 'scheduled' }),
              // A probe minute not delivered is a missing datapoint, which the quorum and the SLO
              // read as "no failure seen": no retry (a late probe measures the wrong minute) and no
              // dead-letter queue (an outage of EventBridge would fill it with 1,440 stale probes a day).
              retryAttempts: 0,
              maxEventAge: round,
            }),
          ],
        }),
    );
    const notify = props.silentAgentAlarms;
    // Unscheduled agents are silent by design: no alarm then.
    this.silentAgentAlarms =
      props.config.scheduled && notify
        ? this.agents.map((_, i) => this.silentAgentAlarm(props.environment, notify, i))
        : [];
  }

  /**
   * Agent i published no probe of Odoo for PROBE_SILENT_AGENT_MINUTES minutes (missing data breaches:
   * silence is the condition). The quorum counts a silent agent as not failing, so two silent agents
   * would leave Odoo_Cluster_Node_Unhealthy unreachable without this.
   */
  private silentAgentAlarm(
    environment: string,
    notify: NonNullable<HealthProbesProps['silentAgentAlarms']>,
    i: number,
  ): cloudwatch.Alarm {
    const zone = this.zones[i] as string;
    const alarm = new cloudwatch.Alarm(this, `Agent${i + 1}Silent`, {
      alarmName: watchAlarmName(environment, `health-probe-agent-${i + 1}-silent`),
      alarmDescription:
        `Health probe agent ${i + 1} (${zone}) published no probe of Odoo for ${PROBE_SILENT_AGENT_MINUTES} minutes: ` +
        `the quorum alarm Odoo_Cluster_Node_Unhealthy has one observer fewer. ` +
        `Runbook: ${runbookUrl(notify.runbookBaseUrl, SILENT_AGENT_RUNBOOK.runbook, SILENT_AGENT_RUNBOOK.section)}`,
      metric: new cloudwatch.Metric({
        namespace: PROBE_METRICS.namespace,
        metricName: PROBE_METRICS.success,
        dimensionsMap: { Target: 'odoo', AvailabilityZone: zone },
        statistic: 'SampleCount',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: PROBE_SILENT_AGENT_MINUTES,
      datapointsToAlarm: PROBE_SILENT_AGENT_MINUTES,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    for (const channel of notify.channels) {
      const topic = notify.topics[channel];
      if (topic) alarm.addAlarmAction(new actions.SnsAction(topic));
    }
    return alarm;
  }

  /** Lets a workflow invoke the validator. */
  grantValidate(grantee: Parameters<lambda.IFunction['grantInvoke']>[0]): void {
    this.validator.function.grantInvoke(grantee);
  }
}
