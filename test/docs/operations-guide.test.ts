import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupHarness } from '../workflows/backup-harness';
import { EscalationHarness } from '../workflows/escalation-harness';
import { ScaleHarness } from '../workflows/scale-harness';
import { StallHarness } from '../workflows/stall-harness';
import { documentationFiles, read } from './markdown';

/**
 * The JSON inputs of the docs, each marked `<!-- example: WORKFLOW -->` with the workflow it is
 * written for (the operator's guide and each workflow's own document).
 */
const MARKED = /<!-- example: ([a-z-]+) -->\s*```json\n([\s\S]*?)```/g;
const EXAMPLES = documentationFiles().flatMap((file) =>
  [...read(file).matchAll(MARKED)].map((m) => ({
    file,
    workflow: m[1] as string,
    input: JSON.parse(m[2] as string) as Record<string, unknown>,
  })),
);
/** docs/cli.md shows what commands print, not workflow inputs. */
const OUTPUT_ONLY = new Set(['docs/cli.md']);
const START = '2026-11-23T10:00:00.000Z';
let db: LocalDynamoDB;
beforeEach(async () => {
  db = await startLocalDynamoDB();
});
afterEach(async () => {
  await db.stop();
});

async function run(workflow: string, input: Record<string, unknown>) {
  switch (workflow) {
    case 'escalation':
      return new EscalationHarness(db, START).run(input);
    case 'scale-decision':
      return new ScaleHarness(db, START).run(input);
    case 'stalled-gpu': {
      const h = new StallHarness(db, START);
      for (const id of ['i-a', 'i-b']) h.hosts.add(id);
      return h.run(input);
    }
    case 'backup-verification': {
      const h = new BackupHarness(db, START);
      h.account.addRecoveryPoint('database', 60);
      h.account.addRecoveryPoint('filestore', 30);
      h.account.addRecoveryPoint('images', 5);
      return h.run(input);
    }
    default:
      throw new Error(`an example names an unknown workflow ${workflow}`);
  }
}

describe("the docs' example inputs", () => {
  test("the operator's guide (docs/operations.md) has an example for every workflow", () => {
    expect(new Set(EXAMPLES.filter((e) => e.file === 'docs/operations.md').map((e) => e.workflow))).toEqual(
      new Set(['escalation', 'scale-decision', 'stalled-gpu', 'backup-verification']),
    );
  });

  test('every JSON block of the docs is a marked example, so none goes untested', () => {
    const unmarked = documentationFiles()
      .filter((file) => !OUTPUT_ONLY.has(file))
      .flatMap((file) => {
        const text = read(file);
        return [...text.matchAll(/```json\n/g)]
          .filter((m) => !/<!-- example: [a-z-]+ -->\s*$/.test(text.slice(0, m.index)))
          .map((m) => `${file}:${text.slice(0, m.index).split('\n').length}`);
      });
    expect(unmarked).toEqual([]);
  });

  test.each(EXAMPLES.map((e) => [e.file, e.workflow, JSON.stringify(e.input), e] as const))(
    '%s: %s accepts %s and ends without an error',
    async (_file, _workflow, _text, example) => {
      const result = await run(example.workflow, example.input);
      expect(result.error).toBeUndefined();
      expect(result.endState).not.toBe('InvalidRequest');
    },
  );
});
