/**
 * Collapsible sections for pull-request comments and job summaries: each a `<details>` block with
 * a `diff` code block (GitHub colours `+`, `-` and `!` lines), cut to a character budget.
 *
 * A section lists entries (one change or one object, each one or more lines) and is cut between
 * entries, never inside one, so a field diff is shown whole or not at all. Sections marked
 * `keepWhole` (compliance rules: a calling-hours change must never hide behind a bulk rename) are
 * served first; the rest of the budget is shared evenly among the other sections, a section that
 * needs less than its share leaving the remainder to the others, so every section keeps a share.
 */

/** One `<details>` block: its summary line and the entries of its code block. */
export interface MarkdownSection {
  summary: string;
  /** One entry per change or object: its lines, joined by `\n`. */
  entries: string[];
  /** What the note calls the section and its entries: `wrap-up codes`, `changes`. */
  name: string;
  unit: string;
  /** Served before the shared sections, entry by entry, while the budget lasts. */
  keepWhole?: boolean;
}

/** A section that was cut: how many of its entries are not shown. */
export interface CutSection {
  name: string;
  unit: string;
  shown: number;
  total: number;
}

/**
 * The sections as markdown within `budget` characters. Cut sections end their code block with a
 * line saying how many entries are left out, and are listed in `cut` for the caller's note.
 */
export function renderSections(
  sections: readonly MarkdownSection[],
  budget: number,
): { body: string; cut: CutSection[] } {
  const blocks = sections.map((section) => new SectionBlock(section));
  // Every section shows at least its frame, its summary and how many entries it leaves out.
  let remaining = budget - blocks.reduce((sum, block) => sum + block.used, 0);
  const grow = (block: SectionBlock, extra: number): number => {
    const before = block.used;
    return block.fill(before + extra) - before;
  };
  for (const block of blocks) {
    if (block.section.keepWhole) remaining -= grow(block, Math.max(0, remaining));
  }
  // Even shares among the rest; a section that takes less than its share gives the rest back.
  let open = blocks.filter((block) => !block.section.keepWhole && block.canGrow(remaining));
  while (open.length > 0) {
    const share = Math.floor(remaining / open.length);
    let spent = 0;
    for (const block of open) spent += grow(block, share);
    remaining -= spent;
    if (spent === 0) break;
    open = open.filter((block) => block.canGrow(remaining));
  }
  return {
    body: blocks.map((block) => block.text()).join(''),
    cut: blocks
      .filter((block) => !block.complete)
      .map((block) => ({
        name: block.section.name,
        unit: block.section.unit,
        shown: block.kept,
        total: block.section.entries.length,
      })),
  };
}

/** The part of one section that fits: always its frame and summary, then entries in order. */
class SectionBlock {
  /** Entries kept so far (a prefix of the section's entries). */
  kept = 0;
  /** Characters of the kept entries, each with its line break. */
  private keptChars = 0;
  private readonly frame: number;
  private readonly open: string;
  private readonly close: string;

  constructor(readonly section: MarkdownSection) {
    const fence = fenceFor(section.entries);
    this.open = `<details><summary>${escapeHtml(section.summary)}</summary>\n\n${fence}diff\n`;
    this.close = `${fence}\n\n</details>\n\n`;
    this.frame = this.open.length + this.close.length;
  }

  get complete(): boolean {
    return this.kept === this.section.entries.length;
  }

  /** Characters the block takes as it stands. */
  get used(): number {
    return this.frame + this.keptChars + this.moreLength(this.kept);
  }

  /** Keep more entries while the block stays within `size`; returns the characters it now takes. */
  fill(size: number): number {
    while (!this.complete && this.usedWithNext() <= size) {
      this.keptChars += this.section.entries[this.kept]!.length + 1;
      this.kept++;
    }
    return this.used;
  }

  /** Whether `extra` more characters would let it keep its next entry. */
  canGrow(extra: number): boolean {
    return !this.complete && this.usedWithNext() - this.used <= extra;
  }

  text(): string {
    const lines = this.section.entries.slice(0, this.kept);
    const more = this.moreLine(this.kept);
    if (more !== undefined) lines.push(more);
    return `${this.open}${lines.map((line) => `${line}\n`).join('')}${this.close}`;
  }

  private usedWithNext(): number {
    const next = this.section.entries[this.kept]!.length + 1;
    return this.frame + this.keptChars + next + this.moreLength(this.kept + 1);
  }

  private moreLength(count: number): number {
    const more = this.moreLine(count);
    return more === undefined ? 0 : more.length + 1;
  }

  private moreLine(count: number): string | undefined {
    const left = this.section.entries.length - count;
    if (left === 0) return undefined;
    return `# ... ${left} more ${this.section.unit} not shown`;
  }
}

/** The note under cut sections: which were cut, by how much, and where to see everything. */
export function truncationNote(cut: readonly CutSection[], seeAll: string): string {
  if (cut.length === 0) return '';
  const parts = cut.map(
    (section) =>
      `${section.name}: ${section.total - section.shown} of ${section.total} ${section.unit} not shown`,
  );
  return `> **Truncated** to stay under GitHub's comment limit (${parts.join('; ')}). ${seeAll}\n`;
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
