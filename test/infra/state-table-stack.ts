import { Stack, type App } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TEST_REGION } from './synth';

/**
 * A small stack for testing one control-plane construct on its own: a key and a state table shaped
 * as the control plane's (pk/sk, encrypted with the key, point-in-time recovery), as the runtime
 * hands them to every workflow construct.
 */
export function stateTableStack(app: App, id: string) {
  const stack = new Stack(app, id, { env: { account: '123456789012', region: TEST_REGION } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = new dynamodb.TableV2(stack, 'State', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  return { stack, key, table };
}
