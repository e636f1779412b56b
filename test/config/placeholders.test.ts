import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { loadConfig, type PlatformConfig } from '../../lib/config';
import { isPlaceholder, placeholdersIn } from '../../lib/config/placeholders';
import { buildPlatform, PLACEHOLDER_WARNING } from '../../lib/platform';
import { synthPlatform, testApp, TEST_REGION } from '../infra/synth';

describe('documentation placeholders in the environments', () => {
  test.each([
    ['ops@example.com', true],
    ['odoo.influencegen.example.com', true],
    ['https://runbooks.influencegen.example.com/control-plane/', true],
    ['alerts@corp.example', true],
    ['+447700900001', true],
    ['+447700900999', true],
    ['ops@influencegen.io', false],
    ['myexample.com', false],
    ['examples.com', false],
    ['+447700901001', false],
    ['+447911123456', false],
  ])('%s is a placeholder: %s', (value, expected) => {
    expect(isPlaceholder(value)).toBe(expected);
  });

  test('prod as shipped: every field that would reach no one is named, the stakeholder lists among them', () => {
    const paths = placeholdersIn(loadConfig({ envName: 'prod', region: TEST_REGION }).env).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'alerts.emails.0',
        'alerts.runbookBaseUrl',
        'odoo.domainName',
        'majorIncidents.lists.CrisisManagementTeam.phones.0',
        'majorIncidents.lists.ExecutiveLeadership.emails.0',
        'majorIncidents.lists.AllEmployees.phones.0',
      ]),
    );
  });

  test('synth warns on the control-plane stack, naming the fields; the templates are still written', () => {
    const { platform } = synthPlatform('prod');
    Annotations.fromStack(platform.controlPlane).hasWarning(
      '*',
      Match.stringLikeRegexp(
        `environment prod: 12 configuration values are documentation placeholders.*majorIncidents\\.lists\\.CrisisManagementTeam\\.phones\\.0=\\+447700900001.*\\[ack: ${PLACEHOLDER_WARNING}\\]`,
      ),
    );
  });

  test('an environment with its own values synthesises without the warning', () => {
    const own = (value: unknown): unknown => {
      if (typeof value === 'string')
        return value
          .replace(/example\.com/g, 'influencegen.io')
          .replace(/^\+447700900(\d{3})$/, '+447911123$1');
      if (Array.isArray(value)) return value.map(own);
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, own(v)]));
      return value;
    };
    const shipped = loadConfig({ envName: 'prod', region: TEST_REGION });
    const config = { ...shipped, env: own(shipped.env) } as PlatformConfig;
    expect(placeholdersIn(config.env)).toEqual([]);
    const platform = buildPlatform(testApp(), config);
    expect(Annotations.fromStack(platform.controlPlane).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
