import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { PROJECT_TAG, type EnvironmentName } from './config';

/**
 * Cost-allocation tags (seed 002 "Resource Tracking: tags"). Every stack is tagged with project,
 * environment and a default component; constructs that belong to one workload re-tag `component`.
 */
export const TAG_KEYS = { project: 'project', environment: 'environment', component: 'component' } as const;

export function tagPlatform(scope: IConstruct, env: EnvironmentName, component: string): void {
  Tags.of(scope).add(TAG_KEYS.project, PROJECT_TAG);
  Tags.of(scope).add(TAG_KEYS.environment, env);
  tagComponent(scope, component);
}

export function tagComponent(scope: IConstruct, component: string): void {
  Tags.of(scope).add(TAG_KEYS.component, component);
}
