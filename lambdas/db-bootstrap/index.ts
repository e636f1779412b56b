import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loginRolesOf } from '../../lib/config/database-roles';
import { planBootstrap, type AppDatabase, type BootstrapStep } from '../core/database/bootstrap-plan';
import { scramSha256Verifier } from '../core/database/scram';
import { parseDatabaseSecret, type DatabaseCredentials } from '../core/database/secret';
import { requiredString, type CustomResourceEvent, type OnEventResult } from '../aws/custom-resource';
import { lazyHandler } from '../aws/lazy-handler';
import { applyBootstrapPlan, type PostgresServer } from '../aws/postgres-bootstrap';

/** One application, as lib/constructs/database-bootstrap.ts writes it into the resource's properties. */
export interface BootstrapAppProperties {
  readonly SecretArn: string;
  readonly Database: string;
  /** The secret's first username; its rotation clone is `<User>_clone`. */
  readonly User: string;
  readonly OwnerRole: string;
}

export interface BootstrapProperties {
  readonly MasterSecretArn: string;
  readonly Host: string;
  readonly Port: string;
  readonly Apps: readonly BootstrapAppProperties[];
}

export type BootstrapEvent = CustomResourceEvent<BootstrapProperties>;

export interface BootstrapDeps {
  readonly secrets: SecretsManagerClient;
  readonly apply: (server: PostgresServer, steps: readonly BootstrapStep[]) => Promise<void>;
  /** Salt of each SCRAM verifier; random in Lambda. */
  readonly salt: () => Buffer;
  readonly logger: Logger;
}

/**
 * The database bootstrap custom resource (provider framework onEvent, synchronous): on Create and
 * Update, creates or completes each application's roles and database (lambdas/core/database/
 * bootstrap-plan.ts) as the master user. Delete does nothing: roles and databases hold the
 * applications' data, which outlives this stack (the instance is retained or snapshotted).
 */
export function makeBootstrapHandler(deps: BootstrapDeps) {
  const read = async (secretId: string): Promise<DatabaseCredentials> => {
    const value = await deps.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    return parseDatabaseSecret(secretId, value.SecretString);
  };

  return async (event: BootstrapEvent): Promise<OnEventResult> => {
    const props = event.ResourceProperties;
    const host = requiredString(props, 'Host');
    const port = Number(requiredString(props, 'Port'));
    const physicalId = `postgres-bootstrap:${host}:${port}`;
    if (event.RequestType === 'Delete') {
      deps.logger.info('delete: roles and databases are kept with their data');
      return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
    }
    if (!Number.isInteger(port) || port <= 0)
      throw new Error(`custom resource property Port is not a port: ${props.Port}`);
    if (!Array.isArray(props.Apps) || props.Apps.length === 0) {
      throw new Error('custom resource property Apps must list at least one application');
    }

    // Everything is read and checked before the first connection: a bad secret changes nothing.
    const master = await read(requiredString(props, 'MasterSecretArn'));
    const apps: AppDatabase[] = [];
    for (const app of props.Apps as object[]) {
      const secret = await read(requiredString(app, 'SecretArn'));
      apps.push({
        database: requiredString(app, 'Database'),
        ownerRole: requiredString(app, 'OwnerRole'),
        loginRoles: loginRolesOf(requiredString(app, 'User')),
        password: { user: secret.username, verifier: scramSha256Verifier(secret.password, deps.salt()) },
      });
    }
    const steps = planBootstrap(apps);

    await deps.apply({ host, port, user: master.username, password: master.password, ssl: true }, steps);
    const databases = apps.map((a) => a.database).join(',');
    deps.logger.info('database bootstrap applied', { databases, steps: steps.map((s) => s.purpose) });
    return { PhysicalResourceId: physicalId, Data: { Databases: databases } };
  };
}

export const handler = lazyHandler(
  (): BootstrapDeps => ({
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    apply: applyBootstrapPlan,
    salt: () => randomBytes(16),
    logger: new Logger(),
  }),
  makeBootstrapHandler,
);
