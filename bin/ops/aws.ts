import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { silenceSdkNodeVersionWarning } from './aws-warning';
import type { OpsTarget } from './executions';

/**
 * How long a connection to AWS may take before it counts as unreachable (exit code 3): an AWS
 * endpoint answers within a second, so 5 s leaves room for a slow link and still tells the operator
 * soon, not after the operating system's TCP timeout of a minute or more.
 */
const CONNECT_TIMEOUT_MS = 5000;

/** `--region` and `--profile`, passed to every client (unset: the SDK's own chain decides). */
interface AwsSettings {
  readonly region?: string;
  readonly profile?: string;
}

/**
 * The AWS clients of one `ops` run, created on first use (a command that fails validation never
 * constructs one, so no credentials are ever looked up for it).
 */
export class Aws {
  private sfnClient?: SFNClient;
  private stsClient?: STSClient;
  private lambdaClient?: LambdaClient;
  private docClient?: DynamoDBDocumentClient;
  private wafClient?: WAFV2Client;
  private caller?: Promise<{ arn: string; account: string }>;

  constructor(private readonly settings: AwsSettings) {
    silenceSdkNodeVersionWarning();
  }

  private config() {
    return {
      ...(this.settings.region ? { region: this.settings.region } : {}),
      ...(this.settings.profile ? { profile: this.settings.profile } : {}),
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS },
    };
  }

  sfn(): SFNClient {
    return (this.sfnClient ??= new SFNClient(this.config()));
  }

  sts(): STSClient {
    return (this.stsClient ??= new STSClient(this.config()));
  }

  lambda(): LambdaClient {
    return (this.lambdaClient ??= new LambdaClient(this.config()));
  }

  dynamo(): DynamoDBDocumentClient {
    return (this.docClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(this.config()), {
      marshallOptions: { removeUndefinedValues: true },
    }));
  }

  /** The control plane's WAF (`ops unblock` edits its block list). */
  waf(): WAFV2Client {
    return (this.wafClient ??= new WAFV2Client(this.config()));
  }

  /** Who is calling, as STS says (the ARN workflows and records name), and the account. */
  identity(): Promise<{ arn: string; account: string }> {
    return (this.caller ??= this.sts()
      .send(new GetCallerIdentityCommand({}))
      .then((r) => ({ arn: r.Arn ?? 'unknown', account: r.Account ?? '' })));
  }

  /** The environment's account and region, for the state machines' ARNs. */
  async target(envName: string): Promise<OpsTarget> {
    const { account } = await this.identity();
    return { envName, account, region: await this.sfn().config.region() };
  }

  destroy(): void {
    for (const client of [this.sfnClient, this.stsClient, this.lambdaClient, this.docClient, this.wafClient])
      client?.destroy();
  }
}
