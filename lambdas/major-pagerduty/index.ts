import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { PagerDutyEvent } from '../core/major-incident/messages';
import { InvalidInputError } from '../core/invalid-input';
import { invocationKeys, lazyHandler } from '../aws/lazy-handler';
import { readMajorPagerDutySettings, type MajorPagerDutySettings } from '../aws/major-incident-config';

export interface MajorPagerDutyEvent {
  readonly majorId: string;
  readonly event: PagerDutyEvent;
}

export interface MajorPagerDutyResult {
  readonly status: 'sent';
  readonly dedupKey: string;
  readonly eventAction: PagerDutyEvent['event_action'];
}

/** PagerDuty answered 429 or 5xx, or could not be reached: worth retrying (the workflow does). */
export class PagerDutyUnavailableError extends Error {
  override readonly name = 'PagerDutyUnavailable';
}

/** PagerDuty refused the event (400: a bad routing key or payload): retrying would not help. */
export class PagerDutyRejectedError extends Error {
  override readonly name = 'PagerDutyRejected';
}

export interface MajorPagerDutyDeps {
  readonly settings: MajorPagerDutySettings;
  readonly secrets: SecretsManagerClient;
  readonly send: typeof fetch;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/**
 * Sends the major incident's PagerDuty event (Events API v2): `trigger` with severity `critical`
 * (high urgency on the major-incident service, whose notification rules phone the responders),
 * `resolve` when it ends. The dedup key is the major incident's, so a retried send is one alert.
 * The routing key is read from Secrets Manager, once per execution environment.
 */
export function makeMajorPagerDutyHandler(deps: MajorPagerDutyDeps) {
  let routingKey: string | undefined;
  return async (event: MajorPagerDutyEvent): Promise<MajorPagerDutyResult> => {
    const pd = event?.event;
    if (!pd || typeof pd.dedup_key !== 'string' || !['trigger', 'resolve'].includes(pd.event_action))
      throw new InvalidInputError('event: must be a PagerDuty trigger or resolve with a dedup_key');
    routingKey ??= await readRoutingKey();
    let response: Response;
    try {
      response = await deps.send(deps.settings.eventsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routing_key: routingKey, ...pd }),
        redirect: 'error',
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new PagerDutyUnavailableError(`PagerDuty unreachable: ${(error as Error).message}`);
    }
    const text = (await response.text()).slice(0, 500);
    if (response.status === 429 || response.status >= 500)
      throw new PagerDutyUnavailableError(`PagerDuty answered HTTP ${response.status}: ${text}`);
    if (response.status < 200 || response.status >= 300)
      throw new PagerDutyRejectedError(`PagerDuty refused the event, HTTP ${response.status}: ${text}`);
    deps.logger.info('PagerDuty event accepted', {
      majorId: event.majorId,
      eventAction: pd.event_action,
      dedupKey: pd.dedup_key,
    });
    return { status: 'sent', dedupKey: pd.dedup_key, eventAction: pd.event_action };
  };

  async function readRoutingKey(): Promise<string> {
    const secret = await deps.secrets.send(
      new GetSecretValueCommand({ SecretId: deps.settings.routingKeySecret }),
    );
    const key = secret.SecretString?.trim();
    // Events API v2 integration keys are 32 characters; the value is never logged.
    if (!key)
      throw new PagerDutyRejectedError(`secret ${deps.settings.routingKeySecret} has no string value`);
    return key;
  }
}

export const handler = lazyHandler(
  (): MajorPagerDutyDeps => ({
    settings: readMajorPagerDutySettings(),
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    send: fetch,
    logger: new Logger(),
  }),
  makeMajorPagerDutyHandler,
  // Every log line carries the major incident's id.
  (event: MajorPagerDutyEvent) => invocationKeys({ incidentId: event?.majorId }),
);
