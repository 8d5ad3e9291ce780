/**
 * A name as the public may see it: the first letters of each word, the rest hidden, so a result
 * confirms whom the searcher already named without spelling out more of them.
 */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => {
      const shown = word.length <= 3 ? 1 : 2;
      return word.slice(0, shown) + '*'.repeat(Math.max(0, word.length - shown));
    })
    .join(' ');
}
