import { Fleet } from '../../sim/twin/fleet';
import { seededRandom } from '../../sim/twin/random';

const fargate = (initial = 2) =>
  new Fleet({ name: 'odoo', bootSeconds: 60, initial, unitCapacity: 10 }, seededRandom(1));

describe('twin fleet', () => {
  test('new tasks serve only after their boot delay', () => {
    const fleet = fargate();
    fleet.setDesired(3);
    expect([fleet.desired, fleet.running, fleet.pending, fleet.capacity]).toEqual([3, 2, 1, 20]);
    fleet.advance(59);
    expect(fleet.running).toBe(2);
    fleet.advance(60);
    expect([fleet.running, fleet.pending, fleet.capacity]).toEqual([3, 0, 30]);
  });

  test('scale-in removes booting tasks before serving ones, then the newest', () => {
    const fleet = fargate();
    fleet.advance(100);
    fleet.setDesired(4); // two launched at 100, serving at 160
    fleet.advance(130);
    fleet.setDesired(3);
    expect([fleet.running, fleet.pending]).toEqual([2, 1]);
    fleet.advance(200);
    fleet.setDesired(1);
    expect([fleet.desired, fleet.running]).toEqual([1, 1]);
  });

  test('GPU hosts boot in 5 to 8 minutes, the same for the same seed', () => {
    const hosts = (seed: number) => {
      const fleet = new Fleet(
        { name: 'flux', bootSeconds: { min: 300, max: 480 }, initial: 1, unitCapacity: 4 },
        seededRandom(seed),
      );
      fleet.setDesired(6);
      const readyTimes: number[] = [];
      for (let t = 0; t <= 600; t += 10) {
        fleet.advance(t);
        while (readyTimes.length < fleet.running - 1) readyTimes.push(t);
      }
      return readyTimes;
    };
    const times = hosts(42);
    expect(times).toHaveLength(5);
    for (const t of times) expect(t >= 300 && t <= 480).toBe(true);
    expect(hosts(42)).toEqual(times);
    expect(hosts(7)).not.toEqual(times);
  });

  test('replacing a task (StopTask, instance replacement) costs a boot', () => {
    const fleet = fargate();
    fleet.replace();
    expect([fleet.desired, fleet.running]).toEqual([2, 1]);
    fleet.advance(60);
    expect(fleet.running).toBe(2);
  });

  test('bad input is refused, naming the service', () => {
    expect(() => fargate().setDesired(-1)).toThrow('odoo: desired must be a whole number >= 0, got -1');
    expect(() => new Fleet({ name: 'x', bootSeconds: 1, initial: 1, unitCapacity: 0 }, Math.random)).toThrow(
      'x: unitCapacity must be positive',
    );
    const fleet = fargate();
    fleet.advance(10);
    expect(() => fleet.advance(5)).toThrow('odoo: time goes forward (5 < 10)');
  });
});
