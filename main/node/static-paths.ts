/**
 * The path guard both shells' static file servers use (the Chromium shell's app server, Electron's
 * protocol.handle): `path.resolve` with a leading `/` escapes to the filesystem root, so join, then
 * check the relative path (shared/knowledge/electron-pitfalls.md).
 */
import path from 'node:path';

/** `root` + the request path, or undefined when it would leave `root` (or names `root` itself). */
export function resolveInside(root: string, requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.join(root, decoded);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return file;
}
