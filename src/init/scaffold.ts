/**
 * What `cxctl init` writes: the starter repository from `templates/init/` plus the CI workflow
 * examples from `examples/.github/workflows/`. Pure: the caller reads the template files and
 * writes the result.
 */

/** A file to create, relative to the target directory. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

/** A template as read from the package. */
export interface TemplateFile {
  /** Path relative to its template root, with `/` separators. */
  path: string;
  content: string;
}

/** npm drops dotfiles named .gitignore from packages, so the template stores it without the dot. */
const RENAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/**
 * The files of a new repository: starter templates (with `{{version}}` replaced so schema modelines
 * point at this cxctl's schemas) and the workflows under `.github/workflows/`, whose cxctl action
 * reference is pinned to this version's tag.
 */
export function scaffoldFiles(
  starter: readonly TemplateFile[],
  workflows: readonly TemplateFile[],
  version: string,
): ScaffoldFile[] {
  const files = starter.map((template) => ({
    path: RENAMES[template.path] ?? template.path,
    content: template.content.replaceAll('{{version}}', version),
  }));
  for (const workflow of workflows) {
    files.push({
      path: `.github/workflows/${workflow.path}`,
      // `uses: your-org/cxctl@v0.1.0`: the action's tag names the cxctl that wrote the workflow.
      content: workflow.content.replace(
        /cxctl@(v?)\d+\.\d+\.\d+/g,
        (_match, prefix: string) => `cxctl@${prefix}${version}`,
      ),
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
