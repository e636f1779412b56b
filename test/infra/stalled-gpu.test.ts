import { Match } from 'aws-cdk-lib/assertions';
import { kindsReferenced, policyStatements, resourcesOf, synthPlatform } from './synth';

const prod = () => synthPlatform('prod').controlPlane;
const statements = () => policyStatements(prod());

describe('stalled-gpu infrastructure', () => {
  test('the workflow runs the checked-in definition with its three functions and the escalation workflow', () => {
    prod().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-stalled-gpu',
      DefinitionSubstitutions: {
        CheckFunctionArn: Match.anyValue(),
        ActFunctionArn: Match.anyValue(),
        CloseFunctionArn: Match.anyValue(),
        EscalationStateMachineArn: Match.anyValue(),
      },
    });
  });

  test("the functions get the environment's detection settings, budget and the composite alarm as subject", () => {
    const fn = Object.values(resourcesOf(prod(), 'AWS::Lambda::Function')).find((f) =>
      String(f.Properties?.Description).startsWith('Stalled GPU: classify'),
    );
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    const text = JSON.stringify(variables.STALL_CONFIG);
    for (const fragment of [
      '\\"windowMinutes\\":5',
      '\\"minDatapoints\\":4',
      '\\"maxReplacementsPerHour\\":2',
      '\\"maxFleetShare\\":0.5',
      '\\"subject\\":\\"influencegen-prod-AI_Service_Stalled\\"',
    ])
      expect(text).toContain(fragment);
  });

  test('every GPU host is checked every 5 minutes, straight into the workflow', () => {
    const rule = Object.values(resourcesOf(prod(), 'AWS::Events::Rule')).find((r) =>
      String(r.Properties?.Description).startsWith('Check every GPU host'),
    );
    expect(rule?.Properties?.ScheduleExpression).toBe('rate(5 minutes)');
    const [target] = rule?.Properties?.Targets as Array<{ Input: string; DeadLetterConfig: unknown }>;
    expect(JSON.parse(target?.Input ?? '{}')).toEqual({ requestedBy: 'schedule' });
    expect(kindsReferenced('prod', target?.DeadLetterConfig)).toEqual(['AWS::SQS::Queue']);
  });

  test("it may stop tasks and read hosts only in this environment's cluster, and replace only the GPU group's hosts", () => {
    const stop = statements().find((s) => s.Action === 'ecs:StopTask');
    expect(kindsReferenced('prod', stop?.Condition?.ArnEquals?.['ecs:cluster'])).toEqual([
      'AWS::ECS::Cluster',
    ]);
    const reads = statements().find((s) => JSON.stringify(s.Action).includes('ecs:DescribeTasks'));
    expect(kindsReferenced('prod', reads?.Condition?.ArnEquals?.['ecs:cluster'])).toEqual([
      'AWS::ECS::Cluster',
    ]);
    const health = statements().find((s) => s.Action === 'autoscaling:SetInstanceHealth');
    expect(health?.Condition?.StringEquals).toEqual({
      'autoscaling:ResourceTag/component': 'flux-gpu',
      'autoscaling:ResourceTag/environment': 'prod',
    });
    expect(statements().some((s) => JSON.stringify(s.Action).includes('TerminateInstance'))).toBe(false);
  });

  test('the router knows the workflow, so the stall composite starts it', () => {
    const router = Object.values(resourcesOf(prod(), 'AWS::Lambda::Function')).find((f) =>
      String(f.Properties?.Description).startsWith('Normalises alarms'),
    );
    const variables = (router?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.WORKFLOW_ARNS)).toContain('stalled-gpu');
  });
});
