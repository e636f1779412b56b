#!/usr/bin/env -S npx tsx
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfig } from '../lib/config';
import { buildPlatform } from '../lib/platform';

/**
 * CDK entry. One stack set per environment: `--context env=prod|staging|dev` (dev when absent).
 * Account and region come from `--context account=... region=...` or the CDK environment. The region
 * is required (the CLI always supplies one); without an account the stacks are account-agnostic and
 * synth needs no credentials.
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

try {
  const config = loadConfig({
    envName: context('env'),
    account: context('account') ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: context('region') ?? process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION,
    certificateArn: context('certificateArn'),
    odooDomainName: context('odooDomainName'),
  });
  buildPlatform(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
