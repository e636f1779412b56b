import { localEnvironment, synthesizedContainer, withHostOnly } from './n8n-task-environment';

// The extraction the conformance test relies on is strict: each way the template could drift from
// what the test substitutes is a failure that names the variable, never a silent default.
function template(containers: Array<Record<string, unknown>>): unknown {
  return {
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: containers } },
      Other: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
  };
}

const worker = {
  Name: 'n8n-worker',
  Command: ['worker', '--concurrency=10'],
  Environment: [
    { Name: 'EXECUTIONS_MODE', Value: 'queue' },
    { Name: 'DB_POSTGRESDB_HOST', Value: { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] } },
    { Name: 'N8N_PORT', Value: '5678' },
  ],
  Secrets: [{ Name: 'N8N_ENCRYPTION_KEY', ValueFrom: { Ref: 'Key' } }],
};

describe('synthesizedContainer', () => {
  test('reads the named container: command, plain values and tokens, secret names', () => {
    expect(synthesizedContainer(template([worker]), 'worker')).toEqual({
      name: 'n8n-worker',
      command: ['worker', '--concurrency=10'],
      environment: {
        EXECUTIONS_MODE: 'queue',
        DB_POSTGRESDB_HOST: { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
        N8N_PORT: '5678',
      },
      secrets: ['N8N_ENCRYPTION_KEY'],
    });
  });

  test('a missing or doubled container fails with its name', () => {
    expect(() => synthesizedContainer(template([worker]), 'main')).toThrow(/0 containers named "n8n-main"/);
    expect(() => synthesizedContainer(template([worker, worker]), 'worker')).toThrow(
      /2 containers named "n8n-worker"/,
    );
  });
});

describe('localEnvironment', () => {
  const container = synthesizedContainer(template([worker]), 'worker');
  const standIns = { environment: { DB_POSTGRESDB_HOST: '127.0.0.1' }, secrets: { N8N_ENCRYPTION_KEY: 'k' } };

  test('replaces tokens and secrets, keeps every other value as synthesized', () => {
    expect(localEnvironment(container, standIns)).toEqual({
      EXECUTIONS_MODE: 'queue',
      DB_POSTGRESDB_HOST: '127.0.0.1',
      N8N_PORT: '5678',
      N8N_ENCRYPTION_KEY: 'k',
    });
  });

  test('a token or a secret without a stand-in fails, naming it', () => {
    expect(() => localEnvironment(container, { ...standIns, environment: {} })).toThrow(
      /DB_POSTGRESDB_HOST is a CloudFormation token/,
    );
    expect(() => localEnvironment(container, { ...standIns, secrets: {} })).toThrow(
      /secret N8N_ENCRYPTION_KEY has no local stand-in/,
    );
  });

  test('a stand-in for a variable the template does not have fails (the test would add, not replace)', () => {
    expect(() =>
      localEnvironment(container, {
        ...standIns,
        environment: { ...standIns.environment, QUEUE_BULL_REDIS_PORT: '1' },
      }),
    ).toThrow(/QUEUE_BULL_REDIS_PORT is not in its Environment/);
    expect(() =>
      localEnvironment(container, {
        ...standIns,
        secrets: { ...standIns.secrets, QUEUE_BULL_REDIS_PASSWORD: 'p' },
      }),
    ).toThrow(/QUEUE_BULL_REDIS_PASSWORD is not in its Secrets/);
  });
});

describe('withHostOnly', () => {
  test('adds host-only variables, and refuses to override a synthesized one', () => {
    expect(withHostOnly({ A: '1' }, { B: '2' })).toEqual({ A: '1', B: '2' });
    expect(() =>
      withHostOnly({ N8N_LISTEN_ADDRESS: '0.0.0.0' }, { N8N_LISTEN_ADDRESS: '127.0.0.1' }),
    ).toThrow(/The template now sets N8N_LISTEN_ADDRESS/);
  });
});
