/**
 * The pages cxctl ships stand alone: they never point at documents outside the repository (a
 * product contract, an API memo, a sibling folder), and every relative link they hold names a
 * file or folder the repository has.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/packageRoot.js';
import { relativeLinks } from '../helpers/markdownLinks.js';

const root = packageRoot();

/** Markdown files under `folder` (relative to the root), recursively. */
function markdownUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

const pages = ['README.md', 'CONTRIBUTING.md', ...markdownUnder('docs'), ...markdownUnder('src')];

describe('shipped docs', () => {
  it('cover README, CONTRIBUTING, docs/ and the markdown under src/', () => {
    expect(pages).toEqual(
      expect.arrayContaining(['docs/plan.md', 'docs/cxone-api.md', 'src/simulator/SIMULATOR.md']),
    );
  });

  it('never refer to documents the repository does not hold', () => {
    const outside = /SPEC\.md|\bSPEC section|CXONE-ADMIN-API\.md|\.\.\/shared\b|ARCHITECTURE\.md/;
    const found = pages.flatMap((page) =>
      readFileSync(join(root, page), 'utf8')
        .split('\n')
        .map((line, index) => ({ line, at: `${page}:${index + 1}` }))
        .filter(({ line }) => outside.test(line))
        .map(({ line, at }) => `${at}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it('link only to files and folders that exist', () => {
    const broken: string[] = [];
    let links = 0;
    for (const page of pages) {
      for (const link of relativeLinks(readFileSync(join(root, page), 'utf8'), page)) {
        links++;
        if (link.path.startsWith('..') || !existsSync(join(root, link.path))) {
          broken.push(`${page}: ${link.written}`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(20);
  });

  it('README: every performance figure names the flags it was measured with, as the benchmarks ran', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('## Performance');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const benchSource = ['bench/plan.ts', 'bench/apply.ts']
      .map((file) => readFileSync(join(root, file), 'utf8').replace(/(\d)_(\d)/g, '$1$2'))
      .join('\n');
    const sentences = section.split(/\.\s+(?=[A-Z])/).filter((text) => /\d s\b/.test(text));
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    for (const sentence of sentences) {
      expect(sentence).toMatch(/--concurrency \d+/);
      expect(sentence).toMatch(/--rate-limit \d+/);
      for (const [, rate] of sentence.matchAll(/--rate-limit (\d+)/g)) {
        expect(benchSource, `--rate-limit ${rate}`).toMatch(new RegExp(`\\b${rate}\\b`));
      }
    }
  });
});
