import { SFNClient } from '@aws-sdk/client-sfn';
import { defaultDeps, type TokenDeps } from './deps';

/** Deps plus a Step Functions client, for the functions that complete waiting escalation steps. */
export function tokenDeps(): TokenDeps {
  return { ...defaultDeps(), sfn: new SFNClient({ maxAttempts: 5 }) };
}
