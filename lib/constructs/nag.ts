import { Annotations, AspectPriority, Aspects, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IAspect } from 'aws-cdk-lib';
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
 * "A statement whose every action is one of `actions` may use a resource matching `resources`."
 *
 * cdk-nag names a wildcard resource by the resource alone (`Resource::*`), whatever the actions, so
 * acknowledging that id would acknowledge every statement on `*` of the role, including one added
 * later by mistake. A statement rule pins the acknowledgement to the actions that need it.
 *
 * A statement is covered when every (action, wildcard) pair of it is allowed by some rule of its
 * role (rules of several calls combine: CDK merges statements with the same resources into one):
 * for a wildcard resource, every action of the statement must match a rule that allows that
 * resource; for a wildcard action (`ecs:Submit*`), every resource of the statement must.
 */
export interface WildcardStatementRule {
  /** Exact action names (case-insensitive, `*` literal: `'ecs:Submit*'`) or patterns. */
  readonly actions: ReadonlyArray<string | RegExp>;
  /**
   * The resources these actions may be used on. A RegExp is matched against the resource as
   * cdk-nag writes it (`*`, `<Cluster123.Arn>`, `arn:aws:s3:::name-<AWS::AccountId>/generated/*`);
   * a string (an ARN, tokens allowed) is resolved at synthesis and must be the resource exactly.
   */
  readonly resources: RegExp | string;
  /**
   * Condition keys the statement must carry (under any operator), e.g. `ecs:cluster`: a rule that
   * is justified by its condition does not cover the same actions without it.
   */
  readonly conditionKeys?: readonly string[];
}

/**
 * What `acknowledgeWildcards` may acknowledge: a statement rule, or a cdk-nag finding id pattern
 * that itself names what it allows (an action group of a grant, `Action::kms:GenerateDataKey*`, or
 * a named resource's sub-resources, `Resource::<Fn.Arn>:*`). A pattern that would match
 * `Resource::*` or `Action::*` names nothing and is refused.
 */
export type WildcardAllowance = RegExp | WildcardStatementRule;

/** `resources` of a statement rule for actions that support no resource-level permissions. */
export const ANY_RESOURCE = /^\*$/;

/** The error id the aspect reports an unjustified wildcard statement under. */
export const UNJUSTIFIED_WILDCARD = 'InfluenceGen-IAM5-Unjustified';

/**
 * Acknowledges the wildcard findings (AwsSolutions-IAM5) of the IAM policies below `scope` that
 * `allowed` justifies, each with `reason`. A finding is acknowledged only if every statement that
 * produces it is covered; otherwise cdk-nag fails synth, and an error names the statement (its
 * actions and resources) so the failure says what to fix. Runs as an aspect because grants keep
 * adding statements until synthesis.
 */
export function acknowledgeWildcards(
  scope: IConstruct,
  allowed: readonly WildcardAllowance[],
  reason: string,
): void {
  for (const entry of allowed) {
    if (entry instanceof RegExp && (matches(entry, 'Resource::*') || matches(entry, 'Action::*'))) {
      throw new Error(
        `acknowledgeWildcards(${scope.node.path}): ${String(entry)} matches every statement on '*' or every action; ` +
          'use a statement rule { actions, resources } naming the actions that need it.',
      );
    }
  }
  const list = registrations.get(scope) ?? [];
  list.push({ allowed, reason });
  registrations.set(scope, list);
  const stack = Stack.of(scope);
  if (!stacksWithAspect.has(stack)) {
    stacksWithAspect.add(stack);
    Aspects.of(stack).add(new WildcardAcknowledgements(), { priority: AspectPriority.READONLY });
  }
}

/** Patterns for the action groups that CDK's own grant methods emit. */
export const GRANT_ACTION_GROUPS = {
  kms: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
  s3: /^Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List|PutObject|PutObjectLegalHold|PutObjectRetention|PutObjectTagging|PutObjectVersionTagging)\*$/,
  /** `grantInvoke` allows every version and alias of one function: `<Fn.Arn>:*`. */
  functionVersions: /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/,
} as const;

interface Registration {
  readonly allowed: readonly WildcardAllowance[];
  readonly reason: string;
}

const registrations = new WeakMap<IConstruct, Registration[]>();
const stacksWithAspect = new WeakSet<Stack>();

/** One statement of a resolved policy document, with the findings cdk-nag gives it. */
interface AnalysedStatement {
  readonly actions: string[];
  /** Every resource, formatted as cdk-nag formats them. */
  readonly resources: string[];
  readonly conditionKeys: Set<string>;
  readonly findings: Set<string>;
}

class WildcardAcknowledgements implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const applicable = node.node.scopes.flatMap((s) => registrations.get(s) ?? []);
    if (applicable.length === 0) return;
    const result = rules.iam.IAMNoWildcardPermissions(node);
    if (!Array.isArray(result)) return;
    const stack = Stack.of(node);
    const statements = policyDocuments(node).flatMap(analyse);
    /** Per uncovered statement: the findings it keeps open and the (action on resource) pairs no rule allows. */
    const uncovered = new Map<AnalysedStatement, { findings: string[]; pairs: string[] }>();

    for (const finding of result) {
      const used = new Set<Registration>(
        applicable.filter((r) => r.allowed.some((a) => a instanceof RegExp && matches(a, finding))),
      );
      const producers = statements.filter((s) => s.findings.has(finding));
      let covered = used.size > 0;
      if (!covered && producers.length > 0) {
        covered = true;
        for (const statement of producers) {
          const coverage = coverageOf(stack, statement, finding, applicable);
          if (coverage.missing.length > 0) {
            covered = false;
            const entry = uncovered.get(statement) ?? { findings: [], pairs: [] };
            entry.findings.push(finding);
            entry.pairs.push(...coverage.missing.filter((p) => !entry.pairs.includes(p)));
            uncovered.set(statement, entry);
          } else {
            coverage.used.forEach((r) => used.add(r));
          }
        }
      }
      if (covered) {
        // The reasons in the order they were given, each once.
        const reason = [...new Set(applicable.filter((r) => used.has(r)).map((r) => r.reason))].join(' ');
        Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
      } else if (producers.length === 0) {
        Annotations.of(node).addError(
          `${UNJUSTIFIED_WILDCARD}: cdk-nag finding ${finding} matches no statement of the policy as read here; not acknowledged.`,
        );
      }
    }
    for (const [statement, { findings, pairs }] of uncovered) {
      Annotations.of(node).addError(
        `${UNJUSTIFIED_WILDCARD}: the statement allowing [${statement.actions.join(', ')}] on ` +
          `[${statement.resources.join(', ')}] keeps ${findings.map((f) => `AwsSolutions-IAM5[${f}]`).join(', ')} ` +
          `open: no acknowledgeWildcards rule allows ${pairs.join('; ')}. Name the resources, or add a ` +
          'statement rule { actions, resources } beside the statement saying why these actions need the wildcard.',
      );
    }
  }
}

/**
 * Whether the statement rules cover `finding` in `statement`: for a wildcard resource, a rule
 * allowing that resource for each action; for a wildcard action, a rule allowing that action on
 * each resource. Returns the registrations whose rules were used, and the pairs no rule allows.
 */
function coverageOf(
  stack: Stack,
  statement: AnalysedStatement,
  finding: string,
  applicable: Registration[],
): { used: Registration[]; missing: string[] } {
  let pairs: Array<[string, string]> = [];
  if (finding.startsWith('Resource::')) {
    const resource = finding.slice('Resource::'.length);
    pairs = statement.actions.map((action) => [action, resource]);
  } else if (finding.startsWith('Action::')) {
    const action = finding.slice('Action::'.length);
    pairs = statement.resources.map((resource) => [action, resource]);
  }
  if (pairs.length === 0) return { used: [], missing: [finding] };
  const used: Registration[] = [];
  const missing: string[] = [];
  for (const [action, resource] of pairs) {
    const registration = applicable.find((r) =>
      r.allowed.some((a) => !(a instanceof RegExp) && ruleAllows(stack, a, statement, action, resource)),
    );
    if (registration) used.push(registration);
    else missing.push(`${action} on ${resource}`);
  }
  return { used, missing };
}

function ruleAllows(
  stack: Stack,
  rule: WildcardStatementRule,
  statement: AnalysedStatement,
  action: string,
  resource: string,
): boolean {
  const actionAllowed = rule.actions.some((a) =>
    typeof a === 'string' ? a.toLowerCase() === action.toLowerCase() : matches(a, action),
  );
  if (!actionAllowed) return false;
  const resourceAllowed =
    typeof rule.resources === 'string'
      ? formatResource(stack.resolve(rule.resources)) === resource
      : matches(rule.resources, resource);
  if (!resourceAllowed) return false;
  return (rule.conditionKeys ?? []).every((key) => statement.conditionKeys.has(key.toLowerCase()));
}

/** The policy documents IAMNoWildcardPermissions reads, resolved the same way. */
function policyDocuments(node: CfnResource): unknown[] {
  const stack = Stack.of(node);
  if (node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
    const policies: unknown = stack.resolve(node.policies);
    if (!Array.isArray(policies)) return [];
    return policies.map((policy: unknown) => {
      const resolved = stack.resolve(policy) as { policyDocument?: unknown; PolicyDocument?: unknown };
      return stack.resolve(resolved.policyDocument ?? resolved.PolicyDocument) as unknown;
    });
  }
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) {
    return [stack.resolve(node.policyDocument)];
  }
  return [];
}

function analyse(document: unknown): AnalysedStatement[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const list: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: AnalysedStatement[] = [];
  for (const item of list) {
    const statement = item as { Effect?: unknown; Action?: unknown; Resource?: unknown; Condition?: unknown };
    // cdk-nag does not report Deny statements.
    if (statement.Effect !== 'Allow') continue;
    const actions = asArray(statement.Action).filter((a): a is string => typeof a === 'string');
    const resources = asArray(statement.Resource).map(formatResource);
    const findings = new Set<string>([
      ...actions.filter((a) => a.includes('*')).map((a) => `Action::${a}`),
      ...resources.filter((r) => r.includes('*')).map((r) => `Resource::${r}`),
    ]);
    const conditionKeys = new Set<string>();
    if (statement.Condition && typeof statement.Condition === 'object') {
      for (const block of Object.values(statement.Condition as Record<string, unknown>)) {
        if (block && typeof block === 'object') {
          Object.keys(block).forEach((key) => conditionKeys.add(key.toLowerCase()));
        }
      }
    }
    if (findings.size > 0) out.push({ actions, resources, conditionKeys, findings });
  }
  return out;
}

/**
 * A resolved resource as cdk-nag writes it in finding ids (its flattenCfnReference, which the
 * package does not export): `Fn::Join` joined, `${X}` of `Fn::Sub` as `<X>`, `Fn::GetAtt` as
 * `<Logical.Attr>`, `Ref` as `<Logical>`, anything else as JSON.
 */
export function formatResource(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v['Fn::Join']) {
      const [delimiter, items] = v['Fn::Join'] as [string, unknown[]];
      return items.map(formatResource).join(delimiter);
    }
    if (v['Fn::Sub']) return formatResource(v['Fn::Sub']);
    if (v['Fn::GetAtt']) {
      const [resource, attribute] = v['Fn::GetAtt'] as [unknown, unknown];
      return `<${formatResource(resource)}.${formatResource(attribute)}>`;
    }
    if (v['Fn::ImportValue']) return formatResource(v['Fn::ImportValue']);
    if (v.Ref) return `<${formatResource(v.Ref)}>`;
  }
  return JSON.stringify(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}
