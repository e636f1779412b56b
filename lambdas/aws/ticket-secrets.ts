import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TICKET_SECRET_TTL_MS } from '../../lib/config/ticketing-timing';
import { TicketSystemError } from './ticket-http';

/**
 * The ticket system's credentials from Secrets Manager, read once per container and kept for
 * TICKET_SECRET_TTL_MS (one read per incident would be a Secrets Manager call per ticket step). An
 * authentication refusal drops it (`invalidate`), so a rotated secret is read on the next attempt.
 * A secret that is missing or not the JSON expected is TicketRejected: retrying will not fix it.
 */
export class TicketSecret<T> {
  private cached: { readonly value: T; readonly until: number } | undefined;

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly secretId: string,
    private readonly parse: (value: Record<string, unknown>) => T | string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  readonly get = async (): Promise<T> => {
    const now = this.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    let text: string | undefined;
    try {
      text = (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }))).SecretString;
    } catch (error) {
      const e = error as Error;
      throw new TicketSystemError(
        e.name === 'ResourceNotFoundException' || e.name === 'AccessDeniedException'
          ? 'TicketRejected'
          : 'TicketSystemUnavailable',
        `secret ${this.secretId}: ${e.name}: ${e.message}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text ?? '');
    } catch {
      json = undefined;
    }
    const parsed =
      typeof json === 'object' && json !== null
        ? this.parse(json as Record<string, unknown>)
        : 'not a JSON object';
    if (typeof parsed === 'string')
      throw new TicketSystemError('TicketRejected', `secret ${this.secretId}: ${parsed}`);
    this.cached = { value: parsed, until: now + TICKET_SECRET_TTL_MS };
    return parsed;
  };

  invalidate(): void {
    this.cached = undefined;
  }
}

/** `{"login","password"}` for Odoo, `{"email","apiToken"}` for Jira: each a non-empty string. */
export function stringFields<K extends string>(keys: readonly K[]) {
  return (value: Record<string, unknown>): Record<K, string> | string => {
    const missing = keys.filter((k) => typeof value[k] !== 'string' || value[k].length === 0);
    return missing.length > 0
      ? `missing ${missing.join(', ')} (expected JSON {${keys.map((k) => `"${k}"`).join(', ')}})`
      : (Object.fromEntries(keys.map((k) => [k, value[k]])) as Record<K, string>);
  };
}
