/** A LIKE pattern matching `q` as a literal substring (use with `ESCAPE '\'`). */
export function likePattern(q: string | undefined): string {
  return `%${(q ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
