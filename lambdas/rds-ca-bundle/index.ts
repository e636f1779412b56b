import * as fs from 'node:fs';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { selectRdsCas } from '../core/certificates/rds-ca';
import { requiredString, type CustomResourceEvent, type OnEventResult } from '../aws/custom-resource';
import { lazyHandler } from '../aws/lazy-handler';

/**
 * A custom resource that writes the RDS certificate authorities of this region, as PEM, into a
 * Secrets Manager secret, so that n8n (whose image carries only the public CAs) can verify its
 * PostgreSQL server: ECS injects the secret as DB_POSTGRESDB_SSL_CA. The certificates come from
 * the Lambda runtime's own bundle of Amazon CAs, kept current by AWS; every deploy refreshes them.
 * Delete does nothing (the secret is the stack's and goes with it).
 */
export interface RdsCaBundleProperties {
  readonly SecretArn: string;
  readonly Region: string;
}

export interface RdsCaBundleDeps {
  readonly secrets: SecretsManagerClient;
  readonly readBundle: () => string;
  readonly logger: Logger;
}

export function makeRdsCaBundleHandler(deps: RdsCaBundleDeps) {
  return async (event: CustomResourceEvent<RdsCaBundleProperties>): Promise<OnEventResult> => {
    const secretArn = requiredString(event.ResourceProperties, 'SecretArn');
    const region = requiredString(event.ResourceProperties, 'Region');
    const physicalResourceId = event.PhysicalResourceId ?? `rds-ca-bundle-${region}`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
    const selection = selectRdsCas(deps.readBundle(), region);
    await deps.secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: selection.pem }));
    deps.logger.info('RDS CA bundle written', { region, certificates: selection.commonNames });
    return {
      PhysicalResourceId: physicalResourceId,
      Data: { Certificates: String(selection.commonNames.length) },
    };
  };
}

/** The runtime's bundle of Amazon CAs (the one NODE_EXTRA_CA_CERTS points Node at in Lambda). */
export const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

export const handler = lazyHandler(
  (): RdsCaBundleDeps => ({
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    readBundle: () => fs.readFileSync(LAMBDA_CA_BUNDLE, 'utf8'),
    logger: new Logger(),
  }),
  makeRdsCaBundleHandler,
);
