const ACCESS_ERROR_NAMES = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'AuthFailure',
  'NotAuthorized',
  'UnauthorizedOperation',
  'RequestExpired',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_ERROR_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * Whether an error means AWS could not be reached or would not let the caller in (exit code 3):
 * no or expired credentials, no region, access denied, or the network. Anything else is the
 * operation failing (exit code 1).
 */
export function isAwsAccessError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    code?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
  };
  const names = [e.name, e.code, e.Code].filter((n): n is string => typeof n === 'string');
  if (names.some((n) => ACCESS_ERROR_NAMES.has(n) || n.startsWith('AccessDenied'))) return true;
  if (names.some((n) => NETWORK_ERROR_CODES.has(n))) return true;
  if (/^Region is missing|Could not load credentials|Unable to locate credentials/.test(e.message))
    return true;
  if (e.$metadata?.httpStatusCode === 401 || e.$metadata?.httpStatusCode === 403) return true;
  // An aggregate of connection attempts (IPv4 and IPv6) refused: each cause is a network error.
  if (e instanceof AggregateError) return e.errors.some(isAwsAccessError);
  return e.cause !== undefined && e.cause !== error && isAwsAccessError(e.cause);
}
