/**
 * The CloudFormation custom resource events as aws-cdk-lib's provider framework hands them to a
 * user function (aws-cdk-lib/custom-resources, provider-framework/types.d.ts), typed here so that
 * the handlers need no CDK import. CloudFormation passes every scalar property as a string.
 */
export type CustomResourceRequestType = 'Create' | 'Update' | 'Delete';

export interface CustomResourceEvent<P> {
  readonly RequestType: CustomResourceRequestType;
  /** Unique per request; the same when the framework retries one. */
  readonly RequestId: string;
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: P;
  /** On Update: the properties before. */
  readonly OldResourceProperties?: P;
}

/** What onEvent returns; the framework merges it into the event it passes to isComplete. */
export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** A required string property, or an error naming it. */
export function requiredString(properties: object, name: string): string {
  const value = (properties as Record<string, unknown>)[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`custom resource property ${name} is missing or not a string`);
  }
  return value;
}
