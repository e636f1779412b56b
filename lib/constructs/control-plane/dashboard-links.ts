import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The AWS console pages a dashboard section links to, in the region (and account) of the stack
 * that holds the dashboard. Region, account and resource names may be tokens: inside a text
 * widget's markdown they resolve through the dashboard body's Fn::Join.
 */
export class ConsoleLinks {
  private readonly region: string;
  private readonly account: string;

  constructor(scope: Construct) {
    const stack = Stack.of(scope);
    this.region = stack.region;
    this.account = stack.account;
  }

  /** `https://<region>.console.aws.amazon.com/<service>/home?region=<region>#<fragment>` */
  private home(service: string, fragment: string): string {
    return `https://${this.region}.console.aws.amazon.com/${service}/home?region=${this.region}#${fragment}`;
  }

  ecsCluster(cluster: string): string {
    return `https://${this.region}.console.aws.amazon.com/ecs/v2/clusters/${cluster}/services?region=${this.region}`;
  }

  ecsService(cluster: string, service: string): string {
    return `https://${this.region}.console.aws.amazon.com/ecs/v2/clusters/${cluster}/services/${service}/health?region=${this.region}`;
  }

  loadBalancer(arn: string): string {
    return this.home('ec2', `LoadBalancer:loadBalancerArn=${arn}`);
  }

  targetGroup(arn: string): string {
    return this.home('ec2', `TargetGroup:targetGroupArn=${arn}`);
  }

  autoScalingGroup(name: string): string {
    return this.home('ec2', `AutoScalingGroupDetails:id=${name};view=details`);
  }

  database(identifier: string): string {
    return this.home('rds', `database:id=${identifier};is-cluster=false`);
  }

  backupVault(name: string): string {
    return this.home('backup', `/backupvaults/details/${name}`);
  }

  webAcl(name: string, id: string): string {
    return `https://${this.region}.console.aws.amazon.com/wafv2/homev2/web-acl/${name}/${id}/overview?region=${this.region}`;
  }

  /** The alarms whose names contain `search` (the console's own filter, JSURL-encoded). */
  alarms(search: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(search))
      throw new Error(`alarm search "${search}" needs JSURL escaping; use letters, digits, - _ .`);
    return this.home('cloudwatch', `alarmsV2:?~(search~'${search})`);
  }

  logsInsights(): string {
    return this.home('cloudwatch', 'logsV2:logs-insights');
  }

  stateMachine(arn: string): string {
    return this.home('states', `/statemachines/view/${arn}`);
  }

  lambdaFunction(name: string): string {
    return this.home('lambda', `/functions/${name}`);
  }

  /** A queue's page; the console wants the queue URL percent-encoded, so it is built from its parts. */
  queue(name: string): string {
    const url = `https%3A%2F%2Fsqs.${this.region}.amazonaws.com%2F${this.account}%2F${name}`;
    return `https://${this.region}.console.aws.amazon.com/sqs/v3/home?region=${this.region}#/queues/${url}`;
  }
}

export interface Link {
  readonly label: string;
  readonly url: string;
}

/** A runbook's address: the path (runbooks/<name>.md) under the base URL, as notifications build it. */
export function runbookLink(runbookBaseUrl: string, path: string): Link {
  return {
    label: path.replace(/^runbooks\//, '').replace(/\.md$/, ''),
    url: new URL(path, runbookBaseUrl).toString(),
  };
}
