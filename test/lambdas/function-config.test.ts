import { readRuntimeConfig } from '../../lambdas/aws/runtime-config';
import { readScalingConfig } from '../../lambdas/aws/scaling-config';
import { readStallConfig } from '../../lambdas/aws/stall-config';
import { loadConfig } from '../../lib/config';
import { stallSettings } from '../../lib/config/workflow-settings';

const targets = { cluster: 'c', service: 's', capacityProvider: 'cp', queue: 'q' };
const STALL_CONFIG = JSON.stringify({
  ...stallSettings(loadConfig({ envName: 'prod', region: 'eu-west-1' })),
  targets,
});

describe("a function's configuration fails its invocation with the variable and field named", () => {
  test('STALL_CONFIG as the stack writes it is read back whole', () => {
    expect(readStallConfig({ STALL_CONFIG })).toMatchObject({
      detection: { windowMinutes: 5, minDatapoints: 4 },
      subject: 'influencegen-prod-AI_Service_Stalled',
      targets,
    });
  });

  test.each([
    [() => readStallConfig({}), /^Invalid function configuration: STALL_CONFIG: must be JSON$/],
    [
      () => readStallConfig({ STALL_CONFIG: JSON.stringify({ ...JSON.parse(STALL_CONFIG), subject: '' }) }),
      /STALL_CONFIG\.subject:/,
    ],
    [() => readScalingConfig({ SCALING_CONFIG: '{}' }), /SCALING_CONFIG\.scalingEnabled:/],
    [() => readRuntimeConfig({ ENVIRONMENT: 'qa' }), /Invalid function configuration: ENVIRONMENT:/],
  ])('%#', (read, message) => {
    expect(read).toThrow(message);
  });
});
