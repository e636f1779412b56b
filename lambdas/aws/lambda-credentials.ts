import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (an esbuild alias set by
 * ControlPlaneFunction). Lambda always hands a function its role's credentials in environment
 * variables, so the rest of the default chain (SSO, profiles, IMDS, web identity) is dead weight:
 * about 70 KB of every bundle.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
