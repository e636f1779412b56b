import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupHarness } from '../workflows/backup-harness';
import { EscalationHarness } from '../workflows/escalation-harness';
import { ScaleHarness } from '../workflows/scale-harness';
import { StallHarness } from '../workflows/stall-harness';

/** The guide's JSON inputs, each marked with the workflow it is written for. */
const GUIDE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
const EXAMPLES = [...GUIDE.matchAll(/<!-- example: ([a-z-]+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => ({
  workflow: m[1] as string,
  input: JSON.parse(m[2] as string) as Record<string, unknown>,
}));
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
      return h.run(input);
    }
    default:
      throw new Error(`the guide names an unknown workflow ${workflow}`);
  }
}

describe("the operator's guide (docs/operations.md)", () => {
  test('has an example for every workflow', () => {
    expect(new Set(EXAMPLES.map((e) => e.workflow))).toEqual(
      new Set(['escalation', 'scale-decision', 'stalled-gpu', 'backup-verification']),
    );
  });

  test.each(EXAMPLES.map((e) => [e.workflow, JSON.stringify(e.input), e] as const))(
    '%s accepts %s and ends without an error',
    async (_workflow, _text, example) => {
      const result = await run(example.workflow, example.input);
      expect(result.error).toBeUndefined();
      expect(result.endState).not.toBe('InvalidRequest');
    },
  );
});
