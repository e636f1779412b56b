import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';

/**
 * Completes a waiting escalation step. A token whose task already ended (timed out, or completed
 * by an earlier acknowledgement) is not an error: the incident record is what counts.
 */
export async function completeWaitingStep(
  sfn: SFNClient,
  taskToken: string,
  output: Record<string, unknown>,
): Promise<boolean> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') return false;
    throw error;
  }
}
