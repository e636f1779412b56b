import { tickReport } from './schedule-ticks';

// The judge of the conformance test's schedule: it must see a doubled tick and a lost one.
const at = (second: number, ms = 2) =>
  `2026-12-03T15:00:${String(second).padStart(2, '0')}.${String(ms).padStart(3, '0')}+00:00`;

describe('tickReport', () => {
  test('consecutive ticks, each once, spread over two workers', () => {
    const report = tickReport(
      [0, 1, 2, 3, 4, 5].map((s) => ({
        executionId: String(s + 10),
        tick: at(s),
        process: `worker-${(s % 2) + 1}`,
      })),
      1,
    );
    expect(report).toMatchObject({
      ticks: 6,
      doubled: [],
      gaps: [],
      byProcess: { 'worker-1': 3, 'worker-2': 3 },
    });
    expect([report.firstTick, report.lastTick]).toEqual([at(0), at(5)]);
  });

  test('a tick executed twice is doubled, even by two different workers', () => {
    const report = tickReport(
      [
        { executionId: '1', tick: at(1), process: 'worker-1' },
        { executionId: '2', tick: at(2, 3), process: 'worker-1' },
        { executionId: '3', tick: at(2, 40), process: 'worker-2' },
      ],
      1,
    );
    expect(report.doubled).toEqual([
      { second: Math.floor(Date.parse(at(2)) / 1000), executions: ['2', '3'] },
    ]);
  });

  test('a missing tick is a gap; a late-firing tick is judged by the second it was due', () => {
    const report = tickReport(
      [
        { executionId: '1', tick: at(1), process: 'worker-1' },
        { executionId: '2', tick: at(2, 950), process: 'worker-2' },
        { executionId: '3', tick: at(3, 1), process: 'worker-1' },
        { executionId: '4', tick: at(5), process: 'worker-2' },
      ],
      1,
    );
    expect(report.doubled).toEqual([]);
    expect(report.gaps).toEqual([{ after: at(3, 1), before: at(5), seconds: 2 }]);
  });

  test('with a longer interval, ticks one interval apart are no gap', () => {
    const report = tickReport(
      [0, 2, 4].map((s) => ({ executionId: String(s), tick: at(s), process: 'worker-1' })),
      2,
    );
    expect(report.gaps).toEqual([]);
  });
});
