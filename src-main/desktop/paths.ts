/**
 * Where the desktop finds its files: the school's journal (encrypted), its key, its backups and
 * the enrolment in the user-data folder; migrations, fonts and the renderer from the packaged resources
 * (process.resourcesPath, electron-builder's extraResources) or from the repository in development.
 */
import { join } from 'node:path';

export interface DesktopPaths {
  journalFile: string;
  deviceFile: string;
  /** This computer's journal key, encrypted by safeStorage (journal-key.ts). */
  journalKeyFile: string;
  /** Automatic backups of the journal (backups.ts), encrypted with the journal's key. */
  backupsDir: string;
  migrationsDir: string;
  fontsDir: string;
  rendererDir: string;
}

export function desktopPaths(o: { packaged: boolean; resourcesPath: string; userData: string; repoRoot: string }): DesktopPaths {
  const res = o.packaged ? o.resourcesPath : null;
  return {
    journalFile: join(o.userData, 'journal.sqlite'),
    deviceFile: join(o.userData, 'device.json'),
    journalKeyFile: join(o.userData, 'journal.key'),
    backupsDir: join(o.userData, 'backups'),
    migrationsDir: res ? join(res, 'migrations', 'journal') : join(o.repoRoot, 'migrations', 'journal'),
    fontsDir: res ? join(res, 'fonts') : join(o.repoRoot, 'resources', 'fonts'),
    rendererDir: res ? join(res, 'renderer') : join(o.repoRoot, 'dist', 'renderer'),
  };
}
