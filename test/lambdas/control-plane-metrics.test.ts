import { ControlPlaneMetrics } from '../../lambdas/aws/control-plane-metrics';
import { CONTROL_PLANE_METRICS } from '../../lib/config/control-plane-metrics';

/** The EMF documents a handler writes to stdout: what CloudWatch turns into datapoints. */
function emitted(run: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return lines
    .join('')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the control plane metrics in Embedded Metric Format', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.POWERTOOLS_SERVICE_NAME = 'scale-plan';
    delete process.env.POWERTOOLS_DEV;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  test('one document per datapoint, in the environment namespace, with exactly the catalogue dimensions', () => {
    const metrics = new ControlPlaneMetrics('prod');
    const [hold, time] = emitted(() => {
      metrics.emit('holds', { component: 'odoo', reason: 'cooldown' });
      metrics.emit('timeToScale', { component: 'n8n' }, 95);
    });
    expect(hold).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'InfluenceGen/ControlPlane/prod',
            Dimensions: [['component', 'reason']],
            Metrics: [{ Name: 'ScalingHolds', Unit: 'Count' }],
          },
        ],
      },
      component: 'odoo',
      reason: 'cooldown',
      ScalingHolds: 1,
    });
    // No `service` dimension: dashboards name a metric by its catalogue dimensions alone.
    expect(hold).not.toHaveProperty('service');
    expect(time).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          { Dimensions: [['component']], Metrics: [{ Name: 'TimeToScaleSeconds', Unit: 'Seconds' }] },
        ],
      },
      component: 'n8n',
      TimeToScaleSeconds: 95,
    });
  });

  test.each(Object.keys(CONTROL_PLANE_METRICS) as (keyof typeof CONTROL_PLANE_METRICS)[])(
    '%s is written under its catalogue name and unit',
    (key) => {
      const definition = CONTROL_PLANE_METRICS[key];
      const dimensions = Object.fromEntries(definition.dimensions.map((d) => [d, 'x']));
      const [document] = emitted(() => new ControlPlaneMetrics('dev').emit(key, dimensions as never, 2));
      expect(document).toMatchObject({
        _aws: {
          CloudWatchMetrics: [
            {
              Dimensions: [[...definition.dimensions]],
              Metrics: [{ Name: definition.name, Unit: definition.unit }],
            },
          ],
        },
        [definition.name]: 2,
      });
    },
  );
});
