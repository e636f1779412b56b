import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { EDGE_TIMING, type EdgeBlockingConfig } from '../../config/edge-blocking';
import { SECURITY_CHANNELS } from '../../config/escalation';
import type { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, ANY_RESOURCE } from '../nag';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';

/** The WAF IP set the detector edits: EdgeFirewall's controlPlaneBlockList, by name, id and ARN. */
export interface BlockListRef {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
  readonly version: 'IPV4' | 'IPV6';
}

/** The reference of an IP set defined in this app (EdgeFirewall.controlPlaneBlockList). */
export function blockListOf(set: wafv2.CfnIPSet): BlockListRef {
  return {
    name: set.name ?? set.attrId,
    id: set.attrId,
    arn: set.attrArn,
    scope: set.scope as BlockListRef['scope'],
    version: set.ipAddressVersion as BlockListRef['version'],
  };
}

export interface EdgeBlockingProps {
  readonly runtime: ControlPlaneRuntime;
  /** The environment's edgeBlocking settings (lib/config/edge-blocking.ts), validated. */
  readonly config: EdgeBlockingConfig;
  readonly blockList: BlockListRef;
  /** Where Odoo's container writes, the addon's `login_failed` lines included. */
  readonly odooLogGroup: logs.ILogGroup;
  /**
   * The environment's `waf.neverBlockCidrs` (the ranges the control plane must never block): honoured
   * with edgeBlocking.allowList, so a range is listed once, where the firewall's settings are.
   */
  readonly neverBlockCidrs?: readonly string[];
  /** Where EventBridge puts a scheduled run it could not deliver. */
  readonly deadLetters?: sqs.IQueue;
}

/**
 * Edge blocking (seed 004's "temporarily block IP at firewall" for Admin_Account_Brute_Force_Suspected):
 * the edge-block function, run on a schedule, sweeps expired blocks out of the WAF IP set, counts
 * failed admin logins per address with a Logs Insights query over Odoo's log group, and blocks the
 * offenders (lambdas/edge-block). A scheduled query rather than a subscription filter: both halves
 * are counts over a 15-minute window per address (one of them of distinct accounts), which one
 * Insights query answers exactly every run, with nothing to keep between runs; a subscription
 * function would have to keep per-address counts in DynamoDB, one write per failed login, at the
 * attacker's pace. A detection waits at most one period plus the query (the catalogue's Contributor
 * Insights alarm still pages for the first half within its own minute).
 */
export class EdgeBlocking extends Construct {
  readonly fn: ControlPlaneFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: EdgeBlockingProps) {
    super(scope, id);
    const { runtime, config, blockList } = props;
    const stack = Stack.of(this);
    const edgeConfig = stack.toJsonString({
      settings: {
        blockingEnabled: config.blockingEnabled,
        windowMinutes: config.windowMinutes,
        failedLoginsPerAdmin: config.failedLoginsPerAdmin,
        distinctAdminAccounts: config.distinctAdminAccounts,
        blockMinutes: config.blockMinutes,
        adminLogins: config.adminLogins,
        allowList: [...new Set([...(props.neverBlockCidrs ?? []), ...config.allowList])],
        maxBlockedAddresses: config.maxBlockedAddresses,
        queryTimeoutSeconds: config.queryTimeoutSeconds,
      },
      ipSet: { name: blockList.name, id: blockList.id, scope: blockList.scope, version: blockList.version },
      logGroupName: props.odooLogGroup.logGroupName,
    });
    this.fn = runtimeFunction(
      this,
      runtime,
      { ...runtimeEnvironment(this, runtime), EDGE_BLOCKING_CONFIG: edgeConfig },
      {
        name: 'edge-block',
        description:
          'Edge blocking: sweep expired WAF blocks, count failed admin logins per address, block brute-force sources',
        timeoutSeconds: config.queryTimeoutSeconds + EDGE_TIMING.runMarginSeconds,
      },
    );
    const role = this.fn.role;
    // An error that escaped the handler (its configuration) is not retried: the next run comes anyway.
    this.fn.function.configureAsyncInvoke({ retryAttempts: 0 });

    // UpdateIPSet replaces the list and needs GetIPSet's lock token: both, on this set only.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
        resources: [blockList.arn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:StartQuery'], resources: [props.odooLogGroup.logGroupArn] }),
    );
    // A query is addressed by its id: GetQueryResults and StopQuery have no resource-level permissions.
    const queryActions = ['logs:GetQueryResults', 'logs:StopQuery'];
    role.addToPolicy(new iam.PolicyStatement({ actions: queryActions, resources: ['*'] }));
    acknowledgeWildcards(
      role,
      [{ actions: queryActions, resources: ANY_RESOURCE }],
      'Logs Insights GetQueryResults/StopQuery act on a query id and support no resource-level permissions; StartQuery is granted on the Odoo log group only.',
    );
    // Its own items only (EDGEBLOCK#<ip>): the key prefix, not the whole table.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
        resources: [runtime.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EDGEBLOCK#*'] } },
      }),
    );
    runtime.key.grantEncryptDecrypt(role);
    for (const channel of SECURITY_CHANNELS) runtime.topics[channel].grantPublish(role);

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Edge blocking: sweep expired blocks and look for brute-force sources every ${config.everyMinutes} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(config.everyMinutes)),
      targets: [
        new targets.LambdaFunction(this.fn.function, {
          // A run that failed is superseded by the next: no retry, no stale run.
          retryAttempts: 0,
          maxEventAge: Duration.minutes(config.everyMinutes),
          ...(props.deadLetters ? { deadLetterQueue: props.deadLetters } : {}),
        }),
      ],
    });
  }
}
