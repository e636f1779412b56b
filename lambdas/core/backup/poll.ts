/**
 * The waits (seconds) between polls of the one re-run: from `firstSeconds`, doubling up to
 * `maxSeconds`, until `giveUpMinutes` have passed. The workflow walks the list (no loop counter
 * outlives it), so the polling always ends.
 */
export function pollSchedule(poll: {
  firstSeconds: number;
  maxSeconds: number;
  giveUpMinutes: number;
}): number[] {
  const waits: number[] = [];
  let total = 0;
  let next = poll.firstSeconds;
  while (total + next <= poll.giveUpMinutes * 60) {
    waits.push(next);
    total += next;
    next = Math.min(next * 2, poll.maxSeconds);
  }
  return waits.length > 0 ? waits : [poll.giveUpMinutes * 60];
}
