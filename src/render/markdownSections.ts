/**
 * Collapsible sections for pull-request comments and job summaries: each a `<details>` block with
 * a `diff` code block (GitHub colours `+`, `-` and `!` lines), cut to a character budget.
 */

/** One `<details>` block: its summary line and the lines of its code block. */
export interface MarkdownSection {
  summary: string;
  lines: string[];
}

/**
 * The sections as markdown, keeping whole lines while they fit in `budget` characters; `omitted`
 * counts the lines left out (the caller adds a truncation note).
 */
export function renderSections(
  sections: readonly MarkdownSection[],
  budget: number,
): { body: string; omitted: number } {
  let remaining = budget;
  let body = '';
  let omitted = 0;
  for (const section of sections) {
    const fence = fenceFor(section.lines);
    const open = `<details><summary>${escapeHtml(section.summary)}</summary>\n\n${fence}diff\n`;
    const close = `${fence}\n\n</details>\n\n`;
    const kept: string[] = [];
    let used = open.length + close.length;
    for (const [index, line] of section.lines.entries()) {
      if (used + line.length + 1 > remaining) {
        omitted += section.lines.length - index;
        break;
      }
      kept.push(line);
      used += line.length + 1;
    }
    if (kept.length === 0) continue;
    body += `${open}${kept.join('\n')}\n${close}`;
    remaining -= used;
  }
  return { body, omitted };
}

/** A code fence longer than any backtick run in the content, so values cannot close it. */
export function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) {
    for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Text safe inside HTML (the `<summary>` of a section). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
