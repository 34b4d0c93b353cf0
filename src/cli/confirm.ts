/**
 * Asking for confirmation on a terminal, Terraform-style: only the exact answer `yes` approves.
 */
import { createInterface } from 'node:readline';
import type { CliStream } from './context.js';

/** The question `cxctl apply` asks before writing. */
export const APPLY_QUESTION =
  "Do you want to apply these changes? Only 'yes' is accepted to approve.\n  Enter a value: ";

/**
 * Ask `question` and resolve true only when the answer is exactly `yes` (surrounding spaces
 * ignored). End of input (Ctrl-D) is a no.
 */
export function confirm(
  input: NodeJS.ReadableStream,
  output: CliStream,
  question: string = APPLY_QUESTION,
): Promise<boolean> {
  output.write(question);
  return new Promise((resolve) => {
    const reader = createInterface({ input, terminal: false });
    let answered = false;
    reader.once('line', (line) => {
      answered = true;
      reader.close();
      resolve(line.trim() === 'yes');
    });
    reader.once('close', () => {
      if (!answered) resolve(false);
    });
  });
}
