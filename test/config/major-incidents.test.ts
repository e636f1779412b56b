import {
  listsFor,
  MAJOR_INCIDENT_DEFAULTS,
  majorIncidentIssues,
  parseMajorIncidents,
} from '../../lib/config/major-incidents';
import { ENVIRONMENT_NAMES } from '../../lib/config/constants';

const prod = MAJOR_INCIDENT_DEFAULTS.prod;
const withList = (list: keyof typeof prod.lists, value: unknown) => ({
  ...prod,
  lists: { ...prod.lists, [list]: value },
});

describe('major-incident configuration', () => {
  test.each(ENVIRONMENT_NAMES)('the %s defaults are valid', (env) => {
    expect(parseMajorIncidents(env, MAJOR_INCIDENT_DEFAULTS[env])).toEqual(MAJOR_INCIDENT_DEFAULTS[env]);
  });

  test('prod with an empty list fails, naming the field', () => {
    expect(() =>
      parseMajorIncidents('prod', withList('AllEmployees', { phones: ['+447700900003'], emails: [] })),
    ).toThrow(
      'Invalid prod configuration: majorIncidents.lists.AllEmployees.emails: must name at least one recipient in prod',
    );
    expect(() =>
      parseMajorIncidents('prod', withList('ExecutiveLeadership', { phones: [], emails: [] })),
    ).toThrow(
      /majorIncidents\.lists\.ExecutiveLeadership\.phones: .*majorIncidents\.lists\.ExecutiveLeadership\.emails: /,
    );
  });

  test('staging and dev may be empty: a drill there texts nobody', () => {
    for (const env of ['staging', 'dev'] as const) {
      expect(majorIncidentIssues(env, MAJOR_INCIDENT_DEFAULTS[env])).toEqual([]);
      expect(
        Object.values(MAJOR_INCIDENT_DEFAULTS[env].lists).flatMap((l) => [...l.phones, ...l.emails]),
      ).toEqual([]);
    }
  });

  test('a phone number that is not E.164 fails, naming the entry', () => {
    expect(() =>
      parseMajorIncidents(
        'staging',
        withList('CrisisManagementTeam', { phones: ['0151 1234567'], emails: [] }),
      ),
    ).toThrow('majorIncidents.lists.CrisisManagementTeam.phones.0: must be an E.164 phone number');
  });

  test('an address that is not an email, or one repeated, fails naming the field', () => {
    expect(() =>
      parseMajorIncidents('staging', withList('AllEmployees', { phones: [], emails: ['all-employees'] })),
    ).toThrow('majorIncidents.lists.AllEmployees.emails.0:');
    expect(() =>
      parseMajorIncidents(
        'staging',
        withList('AllEmployees', { phones: [], emails: ['a@example.com', 'a@example.com'] }),
      ),
    ).toThrow('majorIncidents.lists.AllEmployees.emails: must not repeat an address');
  });

  test('prod without a PagerDuty routing key fails, naming the field', () => {
    const { pagerDutyRoutingKeySecretName: _, ...withoutKey } = prod;
    expect(() => parseMajorIncidents('prod', withoutKey)).toThrow(
      'majorIncidents.pagerDutyRoutingKeySecretName: is required in prod',
    );
  });

  test('AllEmployees only for a broad impact', () => {
    expect(listsFor(false)).toEqual(['CrisisManagementTeam', 'ExecutiveLeadership']);
    expect(listsFor(true)).toEqual(['CrisisManagementTeam', 'ExecutiveLeadership', 'AllEmployees']);
  });
});
