import { X509Certificate } from 'node:crypto';

/**
 * The certificates that sign an RDS instance's server certificate in one region, picked out of a PEM
 * bundle (the Lambda runtime's /var/runtime/ca-cert.pem holds Amazon's CAs, RDS's among them).
 * RDS names its CAs "Amazon RDS <region> Root CA <key> G1" (the current ones, per region) and
 * "Amazon RDS <region> 2019 CA" / "Amazon RDS Root 2019 CA" (the older chain still in use);
 * a client that trusts these verifies any instance of the region, whichever CA it was given.
 */
export interface RdsCaSelection {
  /** The chosen certificates, PEM, concatenated in bundle order. */
  readonly pem: string;
  /** Their subjects' common names, for the log and the custom resource's answer. */
  readonly commonNames: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function commonNameOf(certificate: X509Certificate): string {
  const line = certificate.subject.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : '';
}

export function isRdsCaFor(commonName: string, region: string): boolean {
  return (
    commonName.startsWith(`Amazon RDS ${region} `) ||
    commonName === 'Amazon RDS Root 2019 CA' ||
    commonName === `Amazon RDS ${region} 2019 CA`
  );
}

export function selectRdsCas(bundle: string, region: string, now: Date = new Date()): RdsCaSelection {
  const chosen: Array<{ pem: string; cn: string }> = [];
  for (const block of bundle.match(PEM_BLOCK) ?? []) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      continue; // a malformed block elsewhere in the bundle is not ours to judge
    }
    const cn = commonNameOf(certificate);
    if (!certificate.ca || !isRdsCaFor(cn, region)) continue;
    if (new Date(certificate.validTo).getTime() <= now.getTime()) continue;
    chosen.push({ pem: block.trim(), cn });
  }
  if (!chosen.some((c) => c.cn.startsWith(`Amazon RDS ${region} Root CA`))) {
    throw new Error(
      `the CA bundle holds no current "Amazon RDS ${region} Root CA" certificate (found: ${chosen.map((c) => c.cn).join(', ') || 'none'}): n8n could not verify PostgreSQL`,
    );
  }
  return { pem: `${chosen.map((c) => c.pem).join('\n')}\n`, commonNames: chosen.map((c) => c.cn) };
}
