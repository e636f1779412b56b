import type { Template } from 'aws-cdk-lib/assertions';

/**
 * Follows CloudFormation references across the stack set: a local `Ref`, or a cross-stack
 * reference (`Fn::GetStackOutput` / `Fn::ImportValue`) to the output of another stack, down to the
 * logical id of the resource it names in the stack that owns it.
 */
export interface ResourceRef {
  readonly stack: string;
  readonly logicalId: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class StackSet {
  private readonly templates: Record<string, Record<string, Json>>;

  constructor(templates: Record<string, Template>) {
    this.templates = Object.fromEntries(
      Object.entries(templates).map(([name, t]) => [name, t.toJSON() as Record<string, Json>]),
    );
  }

  get stackNames(): string[] {
    return Object.keys(this.templates);
  }

  resources(stack: string): Record<string, { Type: string; Properties?: Record<string, Json> }> {
    return (this.templates[stack]?.Resources ?? {}) as never;
  }

  resource(ref: ResourceRef): { Type: string; Properties?: Record<string, Json> } | undefined {
    return this.resources(ref.stack)[ref.logicalId];
  }

  /** Every resource that `value` (anywhere inside it) refers to, seen from `stack`. */
  referencedResources(stack: string, value: Json): ResourceRef[] {
    const found: ResourceRef[] = [];
    const visit = (v: Json, from: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => visit(x, from));
      if (v === null || typeof v !== 'object') return;
      if (typeof v.Ref === 'string' && this.resources(from)[v.Ref]) {
        found.push({ stack: from, logicalId: v.Ref });
        return;
      }
      if (Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string') {
        found.push({ stack: from, logicalId: v['Fn::GetAtt'][0] });
        return;
      }
      const output = this.crossStackOutput(v);
      if (output) {
        const value = (
          this.templates[output.stack]?.Outputs as Record<string, { Value: Json }> | undefined
        )?.[output.name]?.Value;
        if (value !== undefined) visit(value, output.stack);
        return;
      }
      Object.values(v).forEach((x) => visit(x, from));
    };
    visit(value, stack);
    return found;
  }

  private crossStackOutput(v: { [key: string]: Json }): { stack: string; name: string } | undefined {
    const get = v['Fn::GetStackOutput'];
    if (get && typeof get === 'object' && !Array.isArray(get)) {
      return { stack: String(get.StackName), name: String(get.OutputName) };
    }
    const imported = v['Fn::ImportValue'];
    if (typeof imported === 'string') {
      for (const [stack, t] of Object.entries(this.templates)) {
        for (const [name, o] of Object.entries(
          (t.Outputs ?? {}) as Record<string, { Export?: { Name?: string } }>,
        )) {
          if (o.Export?.Name === imported) return { stack, name };
        }
      }
    }
    return undefined;
  }

  /** The CDK subnet type (Public, Private, Isolated) of a subnet resource. */
  subnetType(ref: ResourceRef): string | undefined {
    const r = this.resource(ref);
    if (r?.Type !== 'AWS::EC2::Subnet') return undefined;
    const tags = (r.Properties?.Tags ?? []) as Array<{ Key: string; Value: string }>;
    return tags.find((t) => t.Key === 'aws-cdk:subnet-type')?.Value;
  }
}
