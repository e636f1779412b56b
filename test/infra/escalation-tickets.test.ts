import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CHANNEL_IDS, type ChannelId } from '../../lib/config/constants';
import {
  parseTicketing,
  TICKET_FUNCTION_TIMEOUT_SECONDS,
  TICKETING_DEFAULTS,
} from '../../lib/config/ticketing';
import {
  EscalationWorkflow,
  type EscalationOptions,
} from '../../lib/constructs/control-plane/escalation-workflow';
import { stateTableStack } from './state-table-stack';
import { testApp } from './synth';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** The escalation workflow alone on a small stack, with its runtime's table, key and topics. */
function build(options: (stack: Stack) => EscalationOptions, nag = false) {
  const app = testApp();
  const { stack, key, table } = stateTableStack(app, 'Escalation');
  const topics = Object.fromEntries(
    CHANNEL_IDS.map((c) => [c, new sns.Topic(stack, `Topic-${c}`, { masterKey: key, enforceSSL: true })]),
  ) as Record<ChannelId, sns.Topic>;
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const escalation = new EscalationWorkflow(
    stack,
    'Escalation',
    {
      environment: 'prod',
      table,
      topics,
      key,
      logRetentionDays: 90,
      runbookBaseUrl: 'https://runbooks.example.com/influencegen/',
    },
    options(stack),
  );
  return { app, stack, escalation, template: Template.fromStack(stack) };
}

const fnId = (stack: Stack, f: { function: lambda.Function }) =>
  stack.getLogicalId(f.function.node.defaultChild as never);
const policyOf = (template: Template, roleId: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const definition = (template: Template): string =>
  JSON.stringify(Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]?.Properties);

describe('the escalation workflow with tickets and the probe', () => {
  const prod = parseTicketing(TICKETING_DEFAULTS.prod);
  const probed = build(
    (stack) => ({
      ticketing: prod,
      healthProbe: lambda.Function.fromFunctionArn(
        stack,
        'Probe',
        'arn:aws:lambda:eu-west-1:123456789012:function:influencegen-prod-health-probe',
      ),
    }),
    true,
  );

  test('the ticket function gets the validated configuration and reads only its secret', () => {
    const { stack, escalation, template } = probed;
    const fn = template.findResources('AWS::Lambda::Function')[fnId(stack, escalation.ticketFunction)];
    const ticketing = fn?.Properties.Environment.Variables.TICKETING as string;
    expect(JSON.parse(ticketing)).toEqual(prod);
    expect(fn?.Properties.Timeout).toBe(TICKET_FUNCTION_TIMEOUT_SECONDS);
    const roleId = stack.getLogicalId(escalation.ticketFunction.role.node.defaultChild as never);
    const secretReads = policyOf(template, roleId).filter((s) =>
      ([] as string[]).concat(s.Action).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretReads).toHaveLength(1);
    expect(JSON.stringify(secretReads[0]?.Resource)).toContain(':secret:influencegen/prod/ticketing-??????');
  });

  test('the definition runs the ticket function and the probe, and the state machine may invoke both', () => {
    const { stack, escalation, template } = probed;
    const body = definition(template);
    expect(body).toContain(fnId(stack, escalation.ticketFunction));
    expect(body).toContain('influencegen-prod-health-probe');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([
              'arn:aws:lambda:eu-west-1:123456789012:function:influencegen-prod-health-probe',
            ]),
          }),
        ]),
      },
    });
  });

  test('Register validates only when a probe is deployed', () => {
    const variables = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function'))
        .map((f) => f.Properties.Environment?.Variables as Record<string, string> | undefined)
        .filter((v) => v?.HEALTH_PROBE !== undefined);
    expect(variables(probed.template).map((v) => v?.HEALTH_PROBE)).toEqual(['enabled']);
    const none = build(() => ({}));
    expect(variables(none.template).map((v) => v?.HEALTH_PROBE)).toEqual(['disabled']);
    // No probe: the state names the function of no one, and nothing grants invoking it.
    expect(definition(none.template)).toContain('influencegen-prod-escalation-no-health-probe');
    expect(JSON.stringify(none.template.findResources('AWS::IAM::Policy'))).not.toContain('no-health-probe');
  });

  test('ticketing off (dev): the function is there and answers "skipped"; no secret is granted', () => {
    const dev = build(() => ({ ticketing: parseTicketing(TICKETING_DEFAULTS.dev) }));
    const roleId = dev.stack.getLogicalId(dev.escalation.ticketFunction.role.node.defaultChild as never);
    expect(JSON.stringify(policyOf(dev.template, roleId))).not.toContain('secretsmanager');
    const fn =
      dev.template.findResources('AWS::Lambda::Function')[fnId(dev.stack, dev.escalation.ticketFunction)];
    expect(JSON.parse(fn?.Properties.Environment.Variables.TICKETING as string)).toEqual({ system: 'none' });
  });
});
