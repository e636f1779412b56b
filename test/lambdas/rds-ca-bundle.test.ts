import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { selectRdsCas } from '../../lambdas/core/certificates/rds-ca';
import { makeRdsCaBundleHandler, type RdsCaBundleProperties } from '../../lambdas/rds-ca-bundle';
import type { CustomResourceEvent } from '../../lambdas/aws/custom-resource';

/**
 * The RDS CA bundle n8n verifies PostgreSQL with: real certificates made by openssl, named as RDS
 * names its CAs, mixed into a bundle like the Lambda runtime's, and the custom resource writing the
 * region's into the secret (Secrets Manager mocked at the SDK boundary).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rds-ca-'));
function certificate(commonName: string, options: { ca: boolean }): string {
  const key = path.join(dir, `${commonName.replace(/\W+/g, '_')}.key`);
  const out = `${key}.pem`;
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '3650',
    '-keyout',
    key,
    '-out',
    out,
    '-subj',
    `/C=US/O=Amazon Web Services, Inc./CN=${commonName}`,
    '-addext',
    `basicConstraints=critical,CA:${options.ca ? 'TRUE' : 'FALSE'}`,
  ]);
  return fs.readFileSync(out, 'utf8');
}

const euRoot = certificate('Amazon RDS eu-west-1 Root CA RSA2048 G1', { ca: true });
const euEcc = certificate('Amazon RDS eu-west-1 Root CA ECC384 G1', { ca: true });
const usRoot = certificate('Amazon RDS us-east-1 Root CA RSA2048 G1', { ca: true });
const legacy = certificate('Amazon RDS Root 2019 CA', { ca: true });
const publicCa = certificate('Starfield Services Root Certificate Authority - G2', { ca: true });
const notCa = certificate('Amazon RDS eu-west-1 Root CA RSA4096 G1', { ca: false });
const bundle = [
  publicCa,
  usRoot,
  euRoot,
  '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----',
  legacy,
  notCa,
  euEcc,
].join('\n');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('choosing the RDS CAs of a region from a bundle of Amazon CAs', () => {
  test("keeps the region's roots and the 2019 root, drops other regions, public CAs, non-CAs and garbage", () => {
    const chosen = selectRdsCas(bundle, 'eu-west-1');
    expect(chosen.commonNames).toEqual([
      'Amazon RDS eu-west-1 Root CA RSA2048 G1',
      'Amazon RDS Root 2019 CA',
      'Amazon RDS eu-west-1 Root CA ECC384 G1',
    ]);
    expect(chosen.pem).toBe(`${[euRoot, legacy, euEcc].map((p) => p.trim()).join('\n')}\n`);
  });

  test('a region the bundle has no current root for fails (n8n could not verify its database)', () => {
    expect(() => selectRdsCas(bundle, 'ap-south-2')).toThrow(
      /no current "Amazon RDS ap-south-2 Root CA" certificate \(found: Amazon RDS Root 2019 CA\)/,
    );
  });

  test('expired roots do not count', () => {
    expect(() => selectRdsCas(bundle, 'eu-west-1', new Date('2100-01-01T00:00:00Z'))).toThrow(/found: none/);
  });
});

describe('the rds-ca-bundle custom resource', () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());
  const event = (type: 'Create' | 'Update' | 'Delete'): CustomResourceEvent<RdsCaBundleProperties> => ({
    RequestType: type,
    RequestId: 'r-1',
    StackId: 'stack',
    LogicalResourceId: 'N8nRdsCaBundle',
    ResourceType: 'Custom::RdsCaBundle',
    ...(type === 'Create' ? {} : { PhysicalResourceId: 'rds-ca-bundle-eu-west-1' }),
    ResourceProperties: {
      SecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ca',
      Region: 'eu-west-1',
    },
  });
  const handler = () =>
    makeRdsCaBundleHandler({
      secrets: new SecretsManagerClient({}),
      readBundle: () => bundle,
      logger: new Logger(),
    });

  test.each(['Create', 'Update'] as const)(
    "%s writes exactly the region's certificates into the secret",
    async (type) => {
      secrets.on(PutSecretValueCommand).resolves({});
      const result = await handler()(event(type));
      const calls = secrets.commandCalls(PutSecretValueCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({
        SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ca',
        SecretString: selectRdsCas(bundle, 'eu-west-1').pem,
      });
      expect(result).toEqual({ PhysicalResourceId: 'rds-ca-bundle-eu-west-1', Data: { Certificates: '3' } });
    },
  );

  test('Delete writes nothing', async () => {
    await handler()(event('Delete'));
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  test('a missing property fails naming it, before any call', async () => {
    const bad = { ...event('Create'), ResourceProperties: { Region: 'eu-west-1' } as RdsCaBundleProperties };
    await expect(handler()(bad)).rejects.toThrow(/SecretArn/);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  test('a bundle without the region fails the deploy and writes nothing', async () => {
    const other = {
      ...event('Create'),
      ResourceProperties: { ...event('Create').ResourceProperties, Region: 'ap-south-2' },
    };
    await expect(handler()(other)).rejects.toThrow(/ap-south-2/);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});
