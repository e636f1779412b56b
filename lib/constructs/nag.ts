import { Aspects, CfnResource, Validations } from 'aws-cdk-lib';
import { NagRuleCompliance, rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledges findings by exact id (`AwsSolutions-IAM5[Action::s3:GetObject*]`), and
 * the ids of CDK grants contain resolved ARNs. These helpers write those ids for us, next to the
 * resource they concern, each with the reason a reviewer needs.
 */

/** Acknowledges AWS managed policies attached to a role, one by one. */
export function acknowledgeManagedPolicies(scope: IConstruct, policyNames: string[], reason: string): void {
  for (const name of policyNames) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
      reason,
    });
  }
}

/**
 * Acknowledges the wildcard findings (AwsSolutions-IAM5) of the policies below `scope` that match
 * one of `allowed`; any other wildcard, such as one added later by mistake, still fails synth.
 * Runs as an aspect because grants keep adding statements until synthesis.
 */
export function acknowledgeWildcards(scope: IConstruct, allowed: RegExp[], reason: string): void {
  Aspects.of(scope).add({
    visit(node: IConstruct): void {
      if (!(node instanceof CfnResource)) return;
      const result = rules.iam.IAMNoWildcardPermissions(node);
      if (result === NagRuleCompliance.COMPLIANT || result === NagRuleCompliance.NOT_APPLICABLE) return;
      if (!Array.isArray(result)) return;
      for (const finding of result) {
        if (allowed.some((pattern) => pattern.test(finding))) {
          Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
        }
      }
    },
  });
}

/** Patterns for the action groups that CDK's own grant methods emit. */
export const GRANT_ACTION_GROUPS = {
  kms: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
  s3: /^Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List|PutObject|PutObjectLegalHold|PutObjectRetention|PutObjectTagging|PutObjectVersionTagging)\*$/,
  objectsOfBucket: /^Resource::.*\/\*$/,
  anyResource: /^Resource::\*$/,
  /** `grantInvoke` allows every version and alias of one function: `<Fn.Arn>:*`. */
  functionVersions: /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/,
} as const;
