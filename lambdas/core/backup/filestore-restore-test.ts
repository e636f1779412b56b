import { FILESTORE_RESTORE_TEST } from '../../../lib/config/filestore';

export { FILESTORE_RESTORE_TEST };

/** The file system id in a restored EFS file system's ARN (`...:file-system/fs-0123`); null otherwise. */
export function fileSystemIdOf(arn: unknown): string | null {
  const match = /:elasticfilesystem:[^:]*:[^:]*:file-system\/(fs-[0-9a-f]+)$/.exec(String(arn ?? ''));
  return match?.[1] ?? null;
}
