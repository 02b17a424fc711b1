/**
 * Files editors and tools write next to the real one and then rename or delete
 * (vim's `4913` probe and `.swp`, emacs' `#x#` and `.#x`, `x~` backups, sed -i's
 * `sedXXXXXX`, JetBrains' `___jb_tmp___`). A restart for them is noise: the
 * rename that follows triggers the real one. Pure.
 */
const TEMP_FILE = /(^|[\\/])(4913|\.#[^\\/]*|#[^\\/]*#|[^\\/]*~|[^\\/]*\.sw[a-p]|sed[A-Za-z0-9]{6}|[^\\/]*___jb_(tmp|old)___)$/;

export function isEditorTempFile(path: string): boolean {
  return TEMP_FILE.test(path);
}
