import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

/**
 * PostgreSQL's SCRAM-SHA-256 password verifier (RFC 5802/7677, as libpq's PQencryptPasswordConn and
 * psql's \password compute it): `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.
 *
 * `CREATE ROLE ... PASSWORD '<verifier>'` stores it as is, so the password itself never appears in
 * SQL text: not in pg_stat_activity, and not in the server log, which records the text of any
 * statement that fails (log_min_error_statement) and which RDS exports to CloudWatch.
 *
 * SASLprep (RFC 4013) is the identity on printable ASCII, which is what Secrets Manager generates;
 * anything else is refused rather than hashed differently from the server.
 */
export const SCRAM_ITERATIONS = 4096;

export function scramSha256Verifier(password: string, salt: Buffer, iterations = SCRAM_ITERATIONS): string {
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new Error('a database password must be non-empty printable ASCII');
  }
  if (salt.length < 16) throw new Error('a SCRAM salt must be at least 16 bytes');
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
