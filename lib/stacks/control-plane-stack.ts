import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { CHANNEL_IDS, type ChannelId, type PlatformConfig } from '../config';
import {
  CONTROL_PLANE_HEARTBEAT,
  COST_BUDGET_ALERT_PERCENT,
  ROUTER_IGNORED_PER_15_MINUTES,
} from '../config/constants';
import { SEVERITY_CHANNELS } from '../config/escalation';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../config/alerts';
import { AlarmRouter } from '../constructs/control-plane/alarm-router';
import { BackupVerificationWorkflow } from '../constructs/control-plane/backup-verification-workflow';
import { CatalogAlarms } from '../constructs/control-plane/catalog-alarms';
import { CostBudget } from '../constructs/control-plane/cost-budget';
import { HealthProbes } from '../constructs/control-plane/health-probes';
import { probeTargetValues } from '../config/probes-alerts';
import { blockListOf, EdgeBlocking } from '../constructs/control-plane/edge-blocking';
import { GpuBudget } from '../constructs/control-plane/gpu-budget';
import { DiskForecast } from '../constructs/control-plane/disk-forecast';
import { MajorIncidentWorkflow } from '../constructs/control-plane/major-incident-workflow';
import { ControlPlaneDashboard } from '../constructs/control-plane/control-plane-dashboard';
import { DeadLetterAlarms, deadLetterQueue } from '../constructs/control-plane/dead-letters';
import { PlatformDashboard } from '../constructs/control-plane/platform-dashboard';
import { TIME_TO_SCALE_KPI_SECONDS } from '../config/constants';
import { ChannelSubscriptions } from '../constructs/control-plane/channel-subscriptions';
import { EscalationWorkflow } from '../constructs/control-plane/escalation-workflow';
import { ScaleDecisionWorkflow } from '../constructs/control-plane/scale-decision-workflow';
import { StalledGpuWorkflow } from '../constructs/control-plane/stalled-gpu-workflow';
import { ControlPlaneWatch } from '../constructs/control-plane/watch';
import { controlPlaneNames } from '../config/naming';
import type { ControlPlaneRuntime } from '../constructs/control-plane/runtime';
import { createPlatformKey } from '../constructs/platform-key';
import { databaseInstanceIdentifier, type DataStack } from './data-stack';
import type { WorkloadsStack } from './workloads-stack';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly data: DataStack;
  readonly workloads: WorkloadsStack;
}

/** Attribute names of the state table, shared by the stacks, the handlers and the simulator. */
export const STATE_TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

/**
 * The control plane: the state table (ledger, locks, incidents, maintenance windows, pauses), one
 * SNS topic per notification channel and who receives it, the catalogue's alarms, the alarm
 * router and the workflows it starts (escalation, scale decisions, stalled GPUs, backup verification).
 */
export class ControlPlaneStack extends Stack {
  readonly key: kms.Key;
  readonly stateTable: dynamodb.TableV2;
  readonly channelTopics: Readonly<Record<ChannelId, sns.Topic>>;
  readonly alarms: CatalogAlarms;
  readonly escalation: EscalationWorkflow;
  readonly router: AlarmRouter;
  readonly scaleDecision: ScaleDecisionWorkflow;
  readonly stalledGpu: StalledGpuWorkflow;
  readonly backupVerification: BackupVerificationWorkflow;
  readonly majorIncident: MajorIncidentWorkflow;
  readonly healthProbes: HealthProbes;
  readonly edgeBlocking: EdgeBlocking;

  constructor(scope: Construct, id: string, props: ControlPlaneStackProps) {
    super(scope, id, props);
    const { env } = props.config;

    this.key = createPlatformKey(this, 'ControlPlaneKey', {
      description: `Encrypts the ${env.name} control plane: state table, channel topics and logs`,
      forLogs: true,
      // Alarm actions, EventBridge rules and budget alerts publish straight to the channel topics.
      publishingServices: ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'budgets.amazonaws.com'],
    });

    const names = controlPlaneNames(env.name);
    this.stateTable = new dynamodb.TableV2(this, 'StateTable', {
      tableName: names.table,
      partitionKey: { name: STATE_TABLE_KEYS.partition, type: dynamodb.AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEYS.sort, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: STATE_TABLE_KEYS.ttl,
      deletionProtection: env.name === 'prod',
      removalPolicy: env.name === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const topics = {} as Record<ChannelId, sns.Topic>;
    for (const channel of CHANNEL_IDS) {
      topics[channel] = new sns.Topic(this, `Channel-${channel}`, {
        displayName: `InfluenceGen ${env.name} ${channel}`,
        masterKey: this.key,
        enforceSSL: true,
      });
    }
    this.channelTopics = topics;
    new ChannelSubscriptions(this, 'Channels', { alerts: env.alerts, topics });

    const { workloads, data } = props;
    // Seed 004's health probes: three agents (one per AZ) for the quorum and the SLO, and the
    // validator the escalation workflow runs before paging a Service Unresponsive alert.
    this.healthProbes = new HealthProbes(this, 'HealthProbes', {
      environment: env.name,
      vpc: workloads.cluster.vpc,
      config: env.probes,
      targets: { odoo: `https://${env.odoo.domainName}`, n8n: `https://${env.n8n.domainName}` },
      logKey: this.key,
      logRetentionDays: env.logRetentionDays,
      // An agent publishing nothing for 10 minutes: the quorum has one observer fewer (Medium, as the
      // forecast's own health alarms: it degrades a High alert, it is not one).
      silentAgentAlarms: {
        topics,
        channels: SEVERITY_CHANNELS.Medium,
        runbookBaseUrl: env.alerts.runbookBaseUrl,
      },
    });
    this.alarms = new CatalogAlarms(this, 'Alarms', {
      environment: env.name,
      alerts: ALERT_CATALOGUE,
      internal: INTERNAL_ALARM_CATALOGUE,
      databaseMaxConnections: env.database.maxConnections,
      targets: {
        cluster: workloads.cluster.clusterName,
        'service:odoo': workloads.odoo.service.serviceName,
        'service:n8n': workloads.n8n.service.serviceName,
        'service:flux-gpu': workloads.flux.service.serviceName,
        'queue:generation': workloads.generation.queue.queueName,
        alb: workloads.odoo.loadBalancer.loadBalancerFullName,
        'target-group:odoo': workloads.odoo.targetGroup.targetGroupFullName,
        database: data.database.instanceIdentifier,
        'backup-vault': data.backupVault.backupVaultName,
        'certificate:odoo': workloads.odoo.certificateArn,
        'asg:flux-gpu': workloads.flux.autoScalingGroup.autoScalingGroupName,
        ...probeTargetValues(this.healthProbes.zones),
      },
      logGroups: {
        odoo: workloads.odoo.logGroup,
        n8n: workloads.n8n.logGroup,
        'flux-gpu': workloads.flux.logGroup,
        // RDS names its exported log group after the instance (the data stack sets its retention).
        postgresql: logs.LogGroup.fromLogGroupName(
          this,
          'PostgresLogs',
          `/aws/rds/instance/${data.database.instanceIdentifier}/postgresql`,
        ),
      },
    });

    const runtime: ControlPlaneRuntime = {
      environment: env.name,
      table: this.stateTable,
      topics,
      key: this.key,
      logRetentionDays: env.logRetentionDays,
      runbookBaseUrl: env.alerts.runbookBaseUrl,
      acknowledgers: env.alerts.acknowledgers,
    };
    this.escalation = new EscalationWorkflow(this, 'Escalation', runtime, {
      ticketing: env.ticketing,
      // Seed 004 Alert Validation: "Service Unresponsive" alerts are probed before anyone is paged.
      healthProbe: this.healthProbes.validator.function,
    });
    this.scaleDecision = new ScaleDecisionWorkflow(this, 'ScaleDecision', {
      runtime,
      config: props.config,
      escalation: this.escalation.workflow.stateMachine,
      cluster: workloads.cluster,
      services: {
        odoo: workloads.odoo.service,
        n8n: workloads.n8n.service,
        'flux-gpu': workloads.flux.service,
      },
      queueName: workloads.generation.queue.queueName,
      loadBalancerFullName: workloads.odoo.loadBalancer.loadBalancerFullName,
      targetGroupFullName: workloads.odoo.targetGroup.targetGroupFullName,
      databaseIdentifier: data.database.instanceIdentifier,
    });
    this.stalledGpu = new StalledGpuWorkflow(this, 'StalledGpu', {
      runtime,
      config: props.config,
      escalation: this.escalation.workflow.stateMachine,
      cluster: workloads.cluster,
      service: workloads.flux.service,
      capacityProviderName: workloads.flux.capacityProvider.capacityProviderName,
      queueName: workloads.generation.queue.queueName,
    });
    this.backupVerification = new BackupVerificationWorkflow(this, 'BackupVerification', {
      runtime,
      config: props.config,
      escalation: this.escalation.workflow.stateMachine,
      vault: data.backupVault,
      plan: data.backupPlan,
      filestorePlan: data.filestoreBackupPlan,
      backupRole: data.backupRole,
      database: data.database,
      filestore: data.filestore,
      images: data.images,
      databaseSecret: data.databaseSecret,
      dataKey: data.key,
      vpc: workloads.cluster.vpc,
    });
    this.router = new AlarmRouter(this, 'Router', {
      runtime,
      workflows: {
        escalation: this.escalation.workflow.stateMachine,
        'scale-decision': this.scaleDecision.workflow.stateMachine,
        'stalled-gpu': this.stalledGpu.workflow.stateMachine,
        'backup-verification': this.backupVerification.workflow.stateMachine,
      },
      // While a scale alarm stays in ALARM nothing new arrives; these re-evaluate every 5 minutes
      // (the scale-up cooldown). Without automatic scaling (dev) they would only record holds.
      periodicScaleComponents: env.scaling.enabled ? ['odoo', 'n8n', 'flux-gpu'] : [],
      alerts: ALERT_CATALOGUE,
      clusterArn: workloads.cluster.clusterArn,
    });
    this.stalledGpu.checkPeriodically(env.gpuStall.checkEverySeconds, this.router.deadLetters);
    const schedulerDeadLetters = deadLetterQueue(
      this,
      'SchedulerDeadLetters',
      this.key,
      'the workflow starts EventBridge Scheduler could not make',
    );
    this.backupVerification.checkPeriodically(env.backup.checkEverySeconds, schedulerDeadLetters);
    // Seed 004's automated response to brute-force admin logins: block the source at the WAF.
    this.edgeBlocking = new EdgeBlocking(this, 'EdgeBlocking', {
      runtime,
      config: env.edgeBlocking,
      blockList: blockListOf(workloads.firewall.controlPlaneBlockList),
      odooLogGroup: workloads.odoo.logGroup,
      // The ranges the firewall config already says never to block: honoured, listed once.
      neverBlockCidrs: env.waf.neverBlockCidrs,
      deadLetters: this.router.deadLetters,
    });
    // Seed 001/002 off-peak scale-down: Scheduler starts the scale decision at each window's edges.
    this.scaleDecision.scheduleOffPeak(schedulerDeadLetters);
    // Seed 004 Emergency Notifications: declared and ended by hand (ops declare-major / end-major).
    this.majorIncident = new MajorIncidentWorkflow(this, 'MajorIncident', {
      environment: env.name,
      config: env.majorIncidents,
      table: this.stateTable,
      key: this.key,
      logRetentionDays: env.logRetentionDays,
      runbookBaseUrl: env.alerts.runbookBaseUrl,
    });
    new CostBudget(this, 'CostBudget', {
      environment: env.name,
      limitUsd: env.monthlyCostBudgetUsd,
      // Slack and email at both levels, not PagerDuty: its CloudWatch integration reads alarm
      // JSON, and Budgets sends plain text; spend is not a reason to wake anyone.
      alerts: [
        { percent: COST_BUDGET_ALERT_PERCENT.warning, channels: SEVERITY_CHANNELS.Medium },
        { percent: COST_BUDGET_ALERT_PERCENT.limit, channels: SEVERITY_CHANNELS.Medium },
      ],
      topics,
      emails: env.alerts.emails,
      runbookBaseUrl: env.alerts.runbookBaseUrl,
    });
    // GPU spend (component=flux-gpu), alerting 80 % actual and 100 % forecast/actual, same channels.
    new GpuBudget(this, 'GpuBudget', {
      environment: env.name,
      config: env.gpuBudget,
      channels: SEVERITY_CHANNELS.Medium,
      topics,
      emails: env.alerts.emails,
      runbookBaseUrl: env.alerts.runbookBaseUrl,
    });
    // Seed 004's predictive disk alert: the database's storage against its autoscaling ceiling and
    // each GPU host's root volume (docs/forecasts.md); the alarm is the catalogue's.
    const diskForecast = new DiskForecast(this, 'DiskForecast', {
      environment: env.name,
      config: env.diskForecast,
      // A literal, not data.database.instanceIdentifier: no cross-stack export for a fixed name.
      database: {
        instanceIdentifier: databaseInstanceIdentifier(env.name),
        ceilingGiB: env.database.maxAllocatedStorageGiB,
      },
      logKey: this.key,
      logRetentionDays: env.logRetentionDays,
      topics,
      // The forecast's own health alarms: as urgent as the alert they protect (Medium), not more.
      channels: SEVERITY_CHANNELS.Medium,
      deadLetterQueue: this.router.deadLetters,
      runbookBaseUrl: env.alerts.runbookBaseUrl,
    });
    // Last: it watches every function and workflow created above.
    const watch = new ControlPlaneWatch(this, 'Watch', {
      runtime,
      router: this.router,
      channels: SEVERITY_CHANNELS.High,
      ignoredPer15Minutes: ROUTER_IGNORED_PER_15_MINUTES,
      heartbeat: CONTROL_PLANE_HEARTBEAT,
      canary: {
        workflow: this.stalledGpu.workflow.stateMachine,
        everySeconds: env.gpuStall.checkEverySeconds,
      },
    });
    const deadLetterQueues = {
      'router-failed-invocations': {
        queue: this.router.failedInvocations,
        holds: 'alarms and events the router failed on after its retries: they started nothing',
      },
      'event-deliveries': {
        queue: this.router.deadLetters,
        holds: 'alarms, events and schedules EventBridge could not deliver: they started nothing',
      },
      'scheduler-deliveries': {
        queue: schedulerDeadLetters,
        holds:
          'scheduled backup assessments and off-peak scale decisions EventBridge Scheduler could not start',
      },
      'generation-jobs': {
        queue: workloads.generation.deadLetterQueue,
        holds: 'AI generation jobs that failed three times',
      },
    };
    const deadLetters = new DeadLetterAlarms(this, 'DeadLetterAlarms', {
      runtime,
      channels: SEVERITY_CHANNELS.High,
      queues: deadLetterQueues,
    });
    const workloadLogs = {
      odoo: workloads.odoo.logGroup,
      n8n: workloads.n8n.logGroup,
      'flux-gpu': workloads.flux.logGroup,
      postgresql: data.databaseLog,
    };
    new PlatformDashboard(this, 'PlatformDashboard', {
      config: props.config,
      alerts: ALERT_CATALOGUE,
      internal: INTERNAL_ALARM_CATALOGUE,
      alarms: this.alarms.alarms,
      clusterName: workloads.cluster.clusterName,
      services: {
        odoo: workloads.odoo.service,
        n8n: workloads.n8n.service,
        'flux-gpu': workloads.flux.service,
      },
      generationQueue: workloads.generation.queue,
      gpuAutoScalingGroupName: workloads.flux.autoScalingGroup.autoScalingGroupName,
      database: data.database,
      backupVerification: this.backupVerification.workflow.stateMachine,
      loadBalancer: workloads.odoo.loadBalancer,
      targetGroups: [
        { label: 'Odoo HTTP', component: 'odoo', targetGroup: workloads.odoo.targetGroup },
        { label: 'Odoo websocket', component: 'odoo', targetGroup: workloads.odoo.websocketTargetGroup },
        { label: 'n8n', component: 'n8n', targetGroup: workloads.n8nTargetGroup },
      ],
      logGroups: workloadLogs,
      backupVaultName: data.backupVault.backupVaultName,
      webAcl: { name: workloads.firewall.webAcl.name as string, id: workloads.firewall.webAcl.attrId },
    });
    new ControlPlaneDashboard(this, 'ControlPlaneDashboard', {
      environment: env.name,
      runbookBaseUrl: env.alerts.runbookBaseUrl,
      alerts: ALERT_CATALOGUE,
      workflows: {
        escalation: this.escalation,
        'scale-decision': this.scaleDecision,
        'stalled-gpu': this.stalledGpu,
        'backup-verification': this.backupVerification,
      },
      manualWorkflows: [this.majorIncident],
      catalogueAlarms: ALERT_CATALOGUE.flatMap((a) => this.alarms.alarms[a.name] ?? []),
      watchAlarms: [...watch.alarms, ...deadLetters.alarms],
      routerHeartbeat: watch.routerHeartbeat,
      routerIgnored: watch.routerIgnored,
      timeToScaleKpiSeconds: TIME_TO_SCALE_KPI_SECONDS,
      deadLetters: deadLetterQueues,
      deadLetterAlarms: deadLetters.alarms,
      workloadLogs,
      probeZones: this.healthProbes.zones,
      integrations: [this.edgeBlocking, this.healthProbes, diskForecast],
    });
  }
}
