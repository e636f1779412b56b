/**
 * The AWS SDK warns on stderr, once per process, when Node is older than the SDK's next minimum
 * (NodeVersionSupportWarning): an operator cannot act on it, so `ops` never lets it through. Set
 * before any client exists (the check runs when a client is constructed).
 */
export function silenceSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
