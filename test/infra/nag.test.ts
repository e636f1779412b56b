import { Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENVIRONMENT_NAMES } from '../../lib/config';
import { synthWithNag, testApp } from './synth';

describe('cdk-nag AwsSolutions', () => {
  test.each(ENVIRONMENT_NAMES)('%s synthesizes with no unacknowledged finding', (envName) => {
    expect(() => synthWithNag(envName)).not.toThrow();
  });

  test('an unacknowledged finding fails synth (the check is live)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Careless', { env: { region: 'eu-west-1' } });
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});
