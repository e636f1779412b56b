import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { controlPlaneBlockListName } from '../../config/edge-blocking';

/** The common set's rules that only count on n8n's host (its editor's bodies are code). */
export const N8N_COUNTED_COMMON_RULES = [
  'SizeRestrictions_BODY',
  'CrossSiteScripting_BODY',
  'GenericLFI_BODY',
  'GenericRFI_BODY',
  'EC2MetaDataSSRF_BODY',
] as const;

export interface EdgeFirewallProps {
  readonly config: PlatformConfig;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
}

/** The rules of the web ACL, in evaluation order; names are what dashboards and tests read. */
export const WAF_RULES = {
  databaseManager: 'BlockDatabaseManager',
  staticBlockList: 'StaticBlockList',
  controlPlaneBlockList: 'ControlPlaneBlockList',
  rateLimit: 'RateLimitPerIp',
  ipReputation: 'AWSManagedRulesAmazonIpReputationList',
  common: 'AWSManagedRulesCommonRuleSet',
  commonN8n: 'AWSManagedRulesCommonRuleSet-n8n',
  knownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
} as const;

/**
 * AWS WAF in front of the Odoo ALB:
 * 1. `/web/database/*` (Odoo's database manager) is blocked at the edge, whatever Odoo's own setting;
 * 2. a static block list from config (`waf.blockedCidrs`) and the control plane's own block list, an
 *    IP set it adds addresses to and expires them from (the brute-force response). The control
 *    plane's set is created empty and its template never changes, so a deploy never resets it;
 * 3. a per-IP rate limit (`waf.rateLimitPerFiveMinutes`);
 * 4. AWS managed rule groups: IP reputation, the common rule set and known bad inputs. The common
 *    set's 8 KB body limit (SizeRestrictions_BODY) is counted, not enforced: Odoo uploads attachments
 *    and imports as request bodies far above it, and Odoo's own limit (limit_request, the ALB) applies.
 * Metrics and sampled requests are on for every rule.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  /** The control plane's block list: the brute-force response adds to it and expires from it. */
  readonly controlPlaneBlockList: wafv2.CfnIPSet;
  /** What editing the control plane's block list takes; attached to the function that will do it. */
  readonly blockListEditorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const { env } = props.config;
    const prefix = `influencegen-${env.name}`;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });

    this.controlPlaneBlockList = new wafv2.CfnIPSet(this, 'ControlPlaneBlockList', {
      // `ops unblock` finds the set by this name (its id is WAF's); the edge-block function is given both.
      name: controlPlaneBlockListName(env.name),
      description: 'Addresses the InfluenceGen control plane blocks for a while, the brute-force response',
      scope: 'REGIONAL',
      ipAddressVersion: 'IPV4',
      addresses: [],
    });
    const staticBlockList = new wafv2.CfnIPSet(this, 'StaticBlockList', {
      name: `${prefix}-static-blocks`,
      description: 'Addresses blocked by configuration, waf.blockedCidrs',
      scope: 'REGIONAL',
      ipAddressVersion: 'IPV4',
      addresses: env.waf.blockedCidrs,
    });

    const managed = (
      name: string,
      priority: number,
      overrides: readonly string[] = [],
      options: { ruleName?: string; scopeDown?: wafv2.CfnWebACL.StatementProperty } = {},
    ): wafv2.CfnWebACL.RuleProperty => ({
      name: options.ruleName ?? name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
          ...(options.scopeDown ? { scopeDownStatement: options.scopeDown } : {}),
        },
      },
      visibilityConfig: visibility(options.ruleName ?? name),
    });
    // n8n's editor saves workflows as JSON bodies holding Code-node JavaScript, URLs and HTML
    // templates, which the common set's body rules take for attacks: on n8n's host those rules only
    // count; Odoo's host keeps them all (but the size limit).
    const n8nHost: wafv2.CfnWebACL.StatementProperty = {
      byteMatchStatement: {
        fieldToMatch: { singleHeader: { Name: 'host' } },
        positionalConstraint: 'EXACTLY',
        searchString: env.n8n.domainName,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-odoo`,
      description:
        'InfluenceGen Odoo ALB: database manager closed, block lists, rate limit, AWS managed rules',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${prefix}-odoo`),
      rules: [
        {
          name: WAF_RULES.databaseManager,
          priority: 0,
          action: { block: {} },
          statement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'STARTS_WITH',
              searchString: '/web/database',
              // Case and URL-encoding tricks (/WEB/Database, /web/%64atabase) match too.
              textTransformations: [
                { priority: 0, type: 'URL_DECODE' },
                { priority: 1, type: 'LOWERCASE' },
              ],
            },
          },
          visibilityConfig: visibility(WAF_RULES.databaseManager),
        },
        {
          name: WAF_RULES.staticBlockList,
          priority: 1,
          action: { block: {} },
          statement: { ipSetReferenceStatement: { arn: staticBlockList.attrArn } },
          visibilityConfig: visibility(WAF_RULES.staticBlockList),
        },
        {
          name: WAF_RULES.controlPlaneBlockList,
          priority: 2,
          action: { block: {} },
          statement: { ipSetReferenceStatement: { arn: this.controlPlaneBlockList.attrArn } },
          visibilityConfig: visibility(WAF_RULES.controlPlaneBlockList),
        },
        {
          name: WAF_RULES.rateLimit,
          priority: 3,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: env.waf.rateLimitPerFiveMinutes, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility(WAF_RULES.rateLimit),
        },
        managed(WAF_RULES.ipReputation, 4),
        managed(WAF_RULES.common, 5, ['SizeRestrictions_BODY'], {
          scopeDown: { notStatement: { statement: n8nHost } },
        }),
        managed(WAF_RULES.common, 6, [...N8N_COUNTED_COMMON_RULES], {
          ruleName: WAF_RULES.commonN8n,
          scopeDown: n8nHost,
        }),
        managed(WAF_RULES.knownBadInputs, 7),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.loadBalancer.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });

    // UpdateIPSet replaces the whole list and needs the lock token GetIPSet returns: both, on this set only.
    this.blockListEditorPolicy = new iam.ManagedPolicy(this, 'BlockListEditor', {
      description: `Edit the ${prefix} control-plane WAF block list (and nothing else)`,
      statements: [
        new iam.PolicyStatement({
          actions: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
          resources: [this.controlPlaneBlockList.attrArn],
        }),
      ],
    });
  }
}
