import * as path from 'node:path';
import type { FilestoreRestoreSettings } from '../../lambdas/aws/backup-config';
import { filestoreRestoreSettings } from '../../lib/config/filestore';
import type { JSONValue } from '../workflows/asl';
import { serviceError } from '../aws/answered-client';

/**
 * Amazon EFS and the filestore validation function's configuration as the restore test of the
 * filestore acts on them, for the workflow tests: file systems AWS Backup restored (each backed by
 * a local directory standing in for its contents), their mount targets and access points, and the
 * function's FileSystemConfigs with Lambda's update status. `mountedDirectory` is what the function
 * would see at its mount path, or the error Lambda would raise. Faults are set per test.
 */

interface MountTarget {
  readonly MountTargetId: string;
  readonly FileSystemId: string;
  readonly SubnetId: string;
  readonly SecurityGroups: readonly string[];
  LifeCycleState: 'creating' | 'available' | 'deleting';
  polls: number;
}

interface AccessPoint {
  readonly AccessPointId: string;
  readonly AccessPointArn: string;
  readonly FileSystemId: string;
  readonly ClientToken: string;
  readonly RootDirectory: { readonly Path: string };
  readonly PosixUser: { readonly Uid: number; readonly Gid: number };
  readonly Tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  LifeCycleState: 'creating' | 'available';
}

interface FileSystemConfig {
  readonly Arn: string;
  readonly LocalMountPath: string;
}

export interface RestoredFileSystemFaults {
  /** CreateMountTarget in this subnet fails (the subnet is full). */
  mountTargetFailsIn?: string;
  /** Polls a new mount target reports `creating` before `available`. */
  mountTargetPolls: number;
  /** Polls the function reports `InProgress` after an update... */
  updatePolls: number;
  /** ...and how the update of FileSystemConfigs ends. */
  updateEnds: 'Successful' | 'Failed';
  /** Invocations that fail to reach a new mount (its DNS name not resolvable yet). */
  connectivityFailures: number;
  /** DeleteMountTarget is refused (the cleanup's failure). */
  deleteMountTargetRefused?: boolean;
}

const ACCOUNT = 'arn:aws:elasticfilesystem:eu-west-1:123456789012';

export class RestoredFileSystems {
  private readonly contents = new Map<string, string>();
  private readonly mountTargets: MountTarget[] = [];
  private readonly accessPoints: AccessPoint[] = [];
  private sequence = 0;
  /** The validation function's file-system configuration, as Lambda holds it. */
  functionConfig: { FileSystemConfigs: FileSystemConfig[]; LastUpdateStatus: string; polls: number } = {
    FileSystemConfigs: [],
    LastUpdateStatus: 'Successful',
    polls: 0,
  };
  faults: RestoredFileSystemFaults = {
    mountTargetPolls: 2,
    updatePolls: 1,
    updateEnds: 'Successful',
    connectivityFailures: 0,
  };
  /** Every EFS and Lambda call the workflow made, in order (refused ones too). */
  readonly calls: Array<{ readonly action: string; readonly params: JSONValue }> = [];
  /** Each change of the function's file system that Lambda took: the file system mounted, or null. */
  readonly mounts: Array<string | null> = [];

  /** A file system AWS Backup restored, whose contents are the local directory `dir`. */
  add(fileSystemId: string, dir: string): void {
    this.contents.set(fileSystemId, dir);
  }

  /** What is left on a restored file system: mount targets (not deleting) and access points. */
  leftOn(fileSystemId: string): { mountTargets: string[]; accessPoints: string[] } {
    return {
      mountTargets: this.mountTargets
        .filter((m) => m.FileSystemId === fileSystemId && m.LifeCycleState !== 'deleting')
        .map((m) => m.MountTargetId),
      accessPoints: this.accessPoints
        .filter((a) => a.FileSystemId === fileSystemId)
        .map((a) => a.AccessPointId),
    };
  }

  /**
   * The directory the validation function sees at its mount path: the attached access point's root
   * on its file system, reachable through an available mount target; otherwise Lambda's error.
   */
  mountedDirectory(): string {
    const config = this.functionConfig.FileSystemConfigs[0];
    if (!config) throw serviceError('Lambda.EFSMountFailureException', 'the function has no file system');
    const point = this.accessPoints.find((a) => a.AccessPointArn === config.Arn);
    if (!point) throw serviceError('Lambda.EFSMountFailureException', `access point ${config.Arn} not found`);
    if (
      !this.mountTargets.some(
        (m) => m.FileSystemId === point.FileSystemId && m.LifeCycleState === 'available',
      )
    )
      throw serviceError('Lambda.EFSMountFailureException', 'no mount target available');
    if (this.faults.connectivityFailures > 0) {
      this.faults.connectivityFailures -= 1;
      throw serviceError('Lambda.EFSMountConnectivityException', 'the mount target did not answer');
    }
    const dir = this.contents.get(point.FileSystemId);
    if (!dir)
      throw serviceError('Lambda.EFSMountFailureException', `file system ${point.FileSystemId} not found`);
    return path.join(dir, point.RootDirectory.Path);
  }

  /** The SDK integrations of the workflow's filestore steps, by resource ARN as in the ASL. */
  integrations(): Record<string, (params: JSONValue) => Promise<JSONValue>> {
    const record =
      (action: string, answer: (params: JSONValue) => JSONValue) =>
      async (params: JSONValue): Promise<JSONValue> => {
        this.calls.push({ action, params });
        return answer(params);
      };
    return {
      'arn:aws:states:::aws-sdk:efs:createMountTarget': record('createMountTarget', (params) => {
        const p = params as { FileSystemId: string; SubnetId: string; SecurityGroups: string[] };
        this.fileSystem(p.FileSystemId);
        if (this.faults.mountTargetFailsIn === p.SubnetId)
          throw serviceError('Efs.NoFreeAddressesInSubnetException', `no free address in ${p.SubnetId}`);
        if (
          this.mountTargets.some(
            (m) =>
              m.FileSystemId === p.FileSystemId &&
              m.SubnetId === p.SubnetId &&
              m.LifeCycleState !== 'deleting',
          )
        )
          throw serviceError('Efs.MountTargetConflictException', 'a mount target exists in this zone');
        const target: MountTarget = {
          MountTargetId: `fsmt-${++this.sequence}`,
          FileSystemId: p.FileSystemId,
          SubnetId: p.SubnetId,
          SecurityGroups: p.SecurityGroups,
          LifeCycleState: 'creating',
          polls: 0,
        };
        this.mountTargets.push(target);
        return shape(target);
      }),
      'arn:aws:states:::aws-sdk:efs:describeMountTargets': record('describeMountTargets', (params) => {
        const p = params as { MountTargetId?: string; FileSystemId?: string };
        const found = this.mountTargets.filter((m) =>
          p.MountTargetId ? m.MountTargetId === p.MountTargetId : m.FileSystemId === p.FileSystemId,
        );
        if (p.MountTargetId && found.length === 0)
          throw serviceError('Efs.MountTargetNotFoundException', 'no such mount target');
        for (const m of found) {
          m.polls += 1;
          if (m.LifeCycleState === 'creating' && m.polls > this.faults.mountTargetPolls)
            m.LifeCycleState = 'available';
        }
        return { MountTargets: found.map(shape) };
      }),
      'arn:aws:states:::aws-sdk:efs:deleteMountTarget': record('deleteMountTarget', (params) => {
        const id = (params as { MountTargetId: string }).MountTargetId;
        const target = this.mountTargets.find((m) => m.MountTargetId === id);
        if (!target) throw serviceError('Efs.MountTargetNotFoundException', 'no such mount target');
        if (this.faults.deleteMountTargetRefused)
          throw serviceError('Efs.AccessDeniedException', 'not authorized to delete this mount target');
        target.LifeCycleState = 'deleting';
        return {};
      }),
      'arn:aws:states:::aws-sdk:efs:createAccessPoint': record('createAccessPoint', (params) => {
        const p = params as unknown as Omit<
          AccessPoint,
          'AccessPointId' | 'AccessPointArn' | 'LifeCycleState'
        >;
        this.fileSystem(p.FileSystemId);
        const known = this.accessPoints.find((a) => a.ClientToken === p.ClientToken);
        if (known) return shape(known);
        const id = `fsap-${++this.sequence}`;
        const point: AccessPoint = {
          ...p,
          AccessPointId: id,
          AccessPointArn: `${ACCOUNT}:access-point/${id}`,
          LifeCycleState: 'creating',
        };
        this.accessPoints.push(point);
        return shape(point);
      }),
      'arn:aws:states:::aws-sdk:efs:describeAccessPoints': record('describeAccessPoints', (params) => {
        const p = params as { AccessPointId?: string; FileSystemId?: string };
        const found = this.accessPoints.filter((a) =>
          p.AccessPointId ? a.AccessPointId === p.AccessPointId : a.FileSystemId === p.FileSystemId,
        );
        if (p.AccessPointId && found.length === 0)
          throw serviceError('Efs.AccessPointNotFoundException', 'no such access point');
        const answer = found.map(shape);
        for (const a of found) a.LifeCycleState = 'available';
        return { AccessPoints: answer };
      }),
      'arn:aws:states:::aws-sdk:efs:deleteAccessPoint': record('deleteAccessPoint', (params) => {
        const id = (params as { AccessPointId: string }).AccessPointId;
        const at = this.accessPoints.findIndex((a) => a.AccessPointId === id);
        if (at < 0) throw serviceError('Efs.AccessPointNotFoundException', 'no such access point');
        this.accessPoints.splice(at, 1);
        return {};
      }),
      'arn:aws:states:::aws-sdk:lambda:updateFunctionConfiguration': record(
        'updateFunctionConfiguration',
        (params) => {
          const p = params as unknown as { FileSystemConfigs: FileSystemConfig[] };
          // Lambda finishes an update on its own: each attempt is time passing.
          if (this.advanceUpdate() === 'InProgress')
            throw serviceError('Lambda.ResourceConflictException', 'an update is in progress');
          // Lambda checks the access point (one at most: a function mounts one file system).
          const config = p.FileSystemConfigs[0];
          const point = config ? this.accessPoints.find((a) => a.AccessPointArn === config.Arn) : null;
          if (config && !point)
            throw serviceError('Lambda.InvalidParameterValueException', `no access point ${config.Arn}`);
          this.functionConfig = {
            FileSystemConfigs: p.FileSystemConfigs,
            LastUpdateStatus: 'InProgress',
            polls: 0,
          };
          this.mounts.push(point?.FileSystemId ?? null);
          return { LastUpdateStatus: 'InProgress' };
        },
      ),
      'arn:aws:states:::aws-sdk:lambda:getFunctionConfiguration': record('getFunctionConfiguration', () => {
        const status = this.advanceUpdate();
        return {
          FileSystemConfigs: this.functionConfig.FileSystemConfigs as unknown as JSONValue,
          LastUpdateStatus: status,
        };
      }),
    };
  }

  /** An update in progress ends after `updatePolls` looks at it; only an attach can fail (a detach always succeeds). */
  private advanceUpdate(): string {
    const config = this.functionConfig;
    if (config.LastUpdateStatus === 'InProgress' && ++config.polls > this.faults.updatePolls)
      config.LastUpdateStatus = config.FileSystemConfigs.length > 0 ? this.faults.updateEnds : 'Successful';
    return config.LastUpdateStatus;
  }

  private fileSystem(id: string): string {
    const dir = this.contents.get(id);
    if (!dir) throw serviceError('Efs.FileSystemNotFoundException', `no file system ${id}`);
    return dir;
  }
}

/** A record as EFS describes it (without the twin's poll count). */
function shape(item: MountTarget | AccessPoint): JSONValue {
  const copy: Record<string, unknown> = { ...item };
  delete copy.polls;
  return copy as JSONValue;
}

/**
 * Where the twin's filestore restore tests mount a restored copy: the deployed settings'
 * (lib/constructs/control-plane/restore-tests.ts) with the twin's subnets and security group.
 */
export const TWIN_FILESTORE_RESTORE: FilestoreRestoreSettings = filestoreRestoreSettings({
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-restored-filestore',
  posixUser: { uid: 101, gid: 101 },
  environment: 'prod',
});
