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
 * point at this cxctl's published schemas) and the workflows under `.github/workflows/`.
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
      content: workflow.content.replace(/cxctl@\d+\.\d+\.\d+/g, `cxctl@${version}`),
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
