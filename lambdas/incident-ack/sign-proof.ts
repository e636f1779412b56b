import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  GET_CALLER_IDENTITY_BODY,
  INCIDENT_HEADER,
  PROOF_CONTENT_TYPE,
  type IdentityProof,
} from '../core/escalation/acknowledger';

/**
 * The caller's end of an acknowledgement's identity proof (lambdas/core/escalation/acknowledger.ts):
 * `ops ack` signs with the operator's credentials, tests and harnesses with fixed ones. The function
 * itself (index.ts) only verifies: it never imports this module.
 */

type SignerInit = ConstructorParameters<typeof SignatureV4>[0];
type HashInput = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (HMAC-SHA-256 with a secret) for the signer, from node:crypto. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: HashInput) {
    this.hash = Sha256.create(secret);
  }
  private static create(secret?: HashInput): Hash | Hmac {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', Sha256.bytes(secret));
  }
  private static bytes(data: HashInput): Buffer {
    if (typeof data === 'string') return Buffer.from(data, 'utf8');
    if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return Buffer.from(data);
  }
  update(data: HashInput): void {
    this.hash.update(Sha256.bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = Sha256.create(this.secret);
  }
}

/**
 * Signs the proof that acknowledges `incidentId` as the holder of `credentials`: a GetCallerIdentity
 * request to the regional STS endpoint whose signature covers the incident header. Used by `ops
 * ack` with the operator's credentials, and by tests with fixed ones.
 */
export async function signAcknowledgementProof(input: {
  readonly incidentId: string;
  readonly region: string;
  readonly credentials: SignerInit['credentials'];
  readonly now?: Date;
}): Promise<IdentityProof> {
  const hostname = `sts.${input.region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region: input.region,
    credentials: input.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/',
      query: {},
      headers: { host: hostname, 'content-type': PROOF_CONTENT_TYPE, [INCIDENT_HEADER]: input.incidentId },
      body: GET_CALLER_IDENTITY_BODY,
    },
    { signingDate: input.now ?? new Date() },
  );
  return {
    url: `https://${hostname}/`,
    method: 'POST',
    headers: { ...signed.headers },
    body: GET_CALLER_IDENTITY_BODY,
  };
}
