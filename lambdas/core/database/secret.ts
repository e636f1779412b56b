/** The fields of an RDS database secret (rds.DatabaseSecret) that the bootstrap reads. */
export interface DatabaseCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Parses a secret's JSON. Errors name the secret and the missing field, never its content: they end
 * up in CloudFormation events and logs.
 */
export function parseDatabaseSecret(secretId: string, text: string | undefined): DatabaseCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new Error(`secret ${secretId} is not JSON`);
  }
  const fields = (value ?? {}) as Record<string, unknown>;
  for (const field of ['username', 'password']) {
    if (typeof fields[field] !== 'string' || fields[field] === '') {
      throw new Error(`secret ${secretId} has no ${field}`);
    }
  }
  return { username: fields.username as string, password: fields.password as string };
}
