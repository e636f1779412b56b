import * as fs from 'node:fs';
import { decide } from '../../lambdas/alarm-router';
import type { RouteDecision } from '../../lambdas/core/routing/route';
import { UsageError } from './errors';

/** `ops route FILE`: what the router would do with an event file, without touching AWS. */
export function route(file: string, envName: string, now: Date = new Date()): RouteDecision {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
  return decide(event, envName, now);
}
