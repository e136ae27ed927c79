import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The project's src/ folder. */
export const SRC = path.join(__dirname, '..', '..', 'src');

/** Every .ts file under a folder, for tests that read the source itself. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}
