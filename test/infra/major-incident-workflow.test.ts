import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  MAJOR_INCIDENT_DEFAULTS,
  STAKEHOLDER_LISTS,
  type MajorIncidentConfig,
} from '../../lib/config/major-incidents';
import type { EnvironmentName } from '../../lib/config/constants';
import { MajorIncidentWorkflow } from '../../lib/constructs/control-plane/major-incident-workflow';
import { stateTableStack } from './state-table-stack';
import { testApp } from './synth';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The construct alone on a small stack, with a key and a state table of its own. */
function build(
  environment: EnvironmentName,
  config: MajorIncidentConfig = MAJOR_INCIDENT_DEFAULTS[environment],
  nag = false,
) {
  const app = testApp();
  const { stack, key, table } = stateTableStack(app, 'Major');
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const major = new MajorIncidentWorkflow(stack, 'MajorIncident', {
    environment,
    config,
    table,
    key,
    logRetentionDays: 90,
    runbookBaseUrl: 'https://runbooks.example.com/influencegen/',
  });
  return { app, stack, major, key, table, template: () => Template.fromStack(stack) };
}

const prod = build('prod');
const template = prod.template();
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  prod.stack.getLogicalId(construct.node.defaultChild as never);
const roleStatements = (roleLogicalIdPrefix: RegExp): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      (p.Properties.Roles as Array<{ Ref: string }>).some((r) => roleLogicalIdPrefix.test(r.Ref)),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('the major-incident workflow construct', () => {
  test('one topic per stakeholder list, each encrypted with the given key and refusing plain HTTP', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(3);
    for (const list of STAKEHOLDER_LISTS) {
      const id = logicalId(prod.major.topics[list]);
      expect(topics[id]?.Properties).toMatchObject({
        KmsMasterKeyId: {
          'Fn::GetAtt': [prod.stack.getLogicalId(prod.key.node.defaultChild as never), 'Arn'],
        },
        DisplayName: `InfluenceGen prod major incident: ${list}`,
      });
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test("each list's phones are SMS subscriptions and its emails email subscriptions on its own topic", () => {
    const subs = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties);
    for (const list of STAKEHOLDER_LISTS) {
      const topic = { Ref: logicalId(prod.major.topics[list]) };
      const mine = subs.filter((s) => JSON.stringify(s.TopicArn) === JSON.stringify(topic));
      const { phones, emails } = MAJOR_INCIDENT_DEFAULTS.prod.lists[list];
      expect(mine.filter((s) => s.Protocol === 'sms').map((s) => s.Endpoint)).toEqual(phones);
      expect(mine.filter((s) => s.Protocol === 'email').map((s) => s.Endpoint)).toEqual(emails);
    }
    expect(subs).toHaveLength(6);
  });

  test('the state machine runs the checked-in definition, named for ops, with full logging and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-major-incident',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      DefinitionSubstitutions: {
        RecordFunctionArn: Match.anyValue(),
        PagerDutyFunctionArn: Match.anyValue(),
        CrisisManagementTeamTopicArn: { Ref: logicalId(prod.major.topics.CrisisManagementTeam) },
        ExecutiveLeadershipTopicArn: { Ref: logicalId(prod.major.topics.ExecutiveLeadership) },
        AllEmployeesTopicArn: { Ref: logicalId(prod.major.topics.AllEmployees) },
      },
    });
  });

  test('the state machine may publish to the three topics and invoke its two functions, nothing else but logs and X-Ray', () => {
    const statements = roleStatements(/^MajorIncidentWorkflowStateMachineRole/);
    const publish = statements.filter((s) => actions(s).includes('sns:Publish'));
    expect(
      publish
        .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(
      STAKEHOLDER_LISTS.map((l) => ({ Ref: logicalId(prod.major.topics[l]) })).sort((a, b) =>
        JSON.stringify(a).localeCompare(JSON.stringify(b)),
      ),
    );
    const all = statements.flatMap(actions);
    expect(all.filter((a) => a.startsWith('lambda:'))).toEqual(['lambda:InvokeFunction']);
    // The two functions (each any version), by their logical ids.
    const invoked = statements
      .filter((s) => actions(s).includes('lambda:InvokeFunction'))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
      .map((r) => JSON.stringify(r).match(/MajorIncidentmajor(record|pagerduty)Function[0-9A-F]{8}/)?.[1]);
    expect(invoked.sort()).toEqual(['pagerduty', 'pagerduty', 'record', 'record']);
    expect(all.filter((a) => a.startsWith('dynamodb:') || a.startsWith('secretsmanager:'))).toEqual([]);
    // Encrypted topics: the key, for publishing only.
    expect(all).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  test('Record reads and writes the state table only; the PagerDuty function reads its one secret only', () => {
    const record = roleStatements(/^MajorIncidentmajorrecordRole/).flatMap(actions);
    expect(record.some((a) => a.startsWith('dynamodb:'))).toBe(true);
    expect(record.some((a) => a.startsWith('sns:') || a.startsWith('secretsmanager:'))).toBe(false);
    const pd = roleStatements(/^MajorIncidentmajorpagerdutyRole/);
    const read = pd.find((s) => actions(s).includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(read?.Resource)).toContain(
      ':secret:influencegen/prod/pagerduty-major-incident-routing-key-??????',
    );
    expect(pd.flatMap(actions).some((a) => a.startsWith('dynamodb:') || a.startsWith('sns:'))).toBe(false);
  });

  test('the functions are told the environment, the procedure and whether PagerDuty is configured', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ENVIRONMENT: 'prod',
          MAJOR_PAGERDUTY: 'enabled',
          MAJOR_RUNBOOK_URL: 'https://runbooks.example.com/influencegen/runbooks/major_incident.md',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PAGERDUTY_ROUTING_KEY_SECRET: 'influencegen/prod/pagerduty-major-incident-routing-key',
          PAGERDUTY_EVENTS_URL: 'https://events.pagerduty.com/v2/enqueue',
        }),
      },
    });
  });

  test('who may declare: one managed policy, starting and following this state machine only', () => {
    const policy = template.findResources('AWS::IAM::ManagedPolicy');
    const [document] = Object.values(policy).map(
      (p) => p.Properties.PolicyDocument as { Statement: Statement[] },
    );
    expect(document?.Statement.map((s) => s.Action)).toEqual([
      'states:StartExecution',
      'states:DescribeExecution',
    ]);
    expect(JSON.stringify(document?.Statement[1]?.Resource)).toContain(
      ':execution:influencegen-prod-major-incident:*',
    );
  });

  test('cdk-nag AwsSolutions finds nothing unacknowledged', () => {
    const { app } = build('prod', MAJOR_INCIDENT_DEFAULTS.prod, true);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('major-incident configuration at synth', () => {
  test.each([
    ['CrisisManagementTeam', 'phones'],
    ['ExecutiveLeadership', 'emails'],
    ['AllEmployees', 'phones'],
  ] as const)('prod with no %s %s fails, naming the field', (list, field) => {
    const config: MajorIncidentConfig = {
      ...MAJOR_INCIDENT_DEFAULTS.prod,
      lists: {
        ...MAJOR_INCIDENT_DEFAULTS.prod.lists,
        [list]: { ...MAJOR_INCIDENT_DEFAULTS.prod.lists[list], [field]: [] },
      },
    };
    expect(() => build('prod', config)).toThrow(
      `majorIncidents.lists.${list}.${field}: must name at least one recipient in prod`,
    );
  });

  test('prod without a PagerDuty routing key fails, naming the field', () => {
    const { pagerDutyRoutingKeySecretName: _, ...config } = MAJOR_INCIDENT_DEFAULTS.prod;
    expect(() => build('prod', config)).toThrow(
      'majorIncidents.pagerDutyRoutingKeySecretName: is required in prod',
    );
  });

  test('staging with empty lists synthesizes: the topics exist with no subscribers, PagerDuty reported as not configured', () => {
    const staging = build('staging').template();
    staging.resourceCountIs('AWS::SNS::Topic', 3);
    staging.resourceCountIs('AWS::SNS::Subscription', 0);
    staging.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAJOR_PAGERDUTY: 'disabled' }) },
    });
    const statements = Object.values(staging.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.flatMap(actions).some((a) => a.startsWith('secretsmanager:'))).toBe(false);
  });
});
