import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';

/**
 * A host name the ALB serves: its certificate (the configured one, or one requested with DNS
 * validation) and, with a hosted zone, the validation record and the alias to the ALB written for
 * us; without one, the operator adds the CNAME ACM shows and points the name at the
 * LoadBalancerDnsName output (docs/deploying.md). Constructs created in `scope`: Zone,
 * Certificate, Alias.
 */
export function publicHostName(
  scope: Construct,
  props: {
    domainName: string;
    certificateArn?: string;
    hostedZone?: { id: string; name: string };
    loadBalancer: elbv2.IApplicationLoadBalancer;
  },
): acm.ICertificate {
  const zone = props.hostedZone
    ? route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', {
        hostedZoneId: props.hostedZone.id,
        zoneName: props.hostedZone.name,
      })
    : undefined;
  const certificate = props.certificateArn
    ? acm.Certificate.fromCertificateArn(scope, 'Certificate', props.certificateArn)
    : new acm.Certificate(scope, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(zone),
      });
  if (zone) {
    new route53.ARecord(scope, 'Alias', {
      zone,
      recordName: props.domainName,
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(props.loadBalancer)),
    });
  }
  return certificate;
}
