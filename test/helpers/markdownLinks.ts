import { dirname, join, normalize } from 'node:path';

/** A relative link of a markdown file, resolved against the file's folder. */
export interface RelativeLink {
  /** The link as written, e.g. `docs/plan.md#scope`. */
  written: string;
  /** The path it names, relative to the root the markdown file's path is relative to. */
  path: string;
}

/**
 * The relative links (`[text](target)`, not URLs or `#anchors`) of `markdown`, the file at
 * `file` (relative to a root), outside fenced code blocks.
 */
export function relativeLinks(markdown: string, file: string): RelativeLink[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const links: RelativeLink[] = [];
  for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const written = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(written) || written.startsWith('#')) continue;
    const target = written.split('#')[0]!;
    links.push({
      written,
      path: normalize(join(dirname(file), target))
        .split('\\')
        .join('/'),
    });
  }
  return links;
}
