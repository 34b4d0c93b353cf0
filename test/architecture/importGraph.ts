/**
 * The import graph of src/: every module and the modules it imports, with static, type-only,
 * re-exporting and dynamic (`import("...")`) imports all counted, read from the source text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Module (path relative to the root, with `/`) to the modules it imports. */
export type ImportGraph = Map<string, Set<string>>;

// `import x from '...'`, `import type {...} from '...'`, `export {...} from '...'`,
// `export * from '...'`, `import '...'` and `import('...')`; specifiers are relative paths here.
const IMPORT =
  /(?:\bimport\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?|\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+|\bimport\s*\(\s*)['"](\.[^'"]+)['"]/g;

/** All `.ts` files under `directory`, relative to `root`. */
function sourceFiles(root: string, directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, directory), { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(root, path));
    else if (entry.name.endsWith('.ts')) found.push(path.split('\\').join('/'));
  }
  return found;
}

/** The relative specifiers imported by `text`. */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => match[1]!);
}

/** The import graph of the `.ts` modules under `directory` of `root` (imports inside it only). */
export function importGraph(root: string, directory: string): ImportGraph {
  const files = sourceFiles(root, directory);
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
      const absolute = resolve(root, dirname(file), specifier.replace(/\.js$/, '.ts'));
      const target = relative(root, absolute).split('\\').join('/');
      if (known.has(target)) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The strongly connected components with more than one module (or a module importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: string[] }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: [...(graph.get(node) ?? [])] });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const next = frame.next.pop();
      if (next !== undefined) {
        if (!index.has(next)) enter(next);
        else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) {
        cycles.push(component.sort());
      }
    }
  }
  return cycles;
}
