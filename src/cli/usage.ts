/**
 * Usage errors in words a user can act on: yargs says "Unknown arguments: auto-aprove,
 * autoAprove" and "Did you mean plan?"; cxctl says which option or command was not known and, as
 * for every other name it checks, the closest one that is.
 */
import { closestMatch } from '../util/suggest.js';

/** The options a command's parser knows: every name and alias. */
export interface KnownOptions {
  /** Option names and aliases as declared (`auto-approve`, `h`). */
  names: readonly string[];
}

/** The shape of yargs' `getOptions()` that cxctl reads (not in yargs' type declarations). */
interface ParserOptions {
  key?: Record<string, unknown>;
  alias?: Record<string, readonly string[]>;
}

/**
 * The options `parser` knows, read through yargs' `getOptions()`, or undefined should a yargs
 * version not offer it (then usage errors keep yargs' own words).
 */
export function knownOptionsOf(parser: object): KnownOptions | undefined {
  const getOptions = (parser as { getOptions?: () => ParserOptions }).getOptions;
  if (typeof getOptions !== 'function') return undefined;
  const options = getOptions.call(parser);
  const names = new Set(Object.keys(options.key ?? {}));
  for (const aliases of Object.values(options.alias ?? {})) {
    for (const alias of aliases) names.add(alias);
  }
  return { names: [...names] };
}

/** `autoApprove` -> `auto-approve`: yargs takes either spelling of an option. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The option names written in `argv` (before `--`), as typed: `--auto-aprove`, `-q`. */
function optionTokens(argv: readonly string[]): { name: string; shown: string }[] {
  const found: { name: string; shown: string }[] = [];
  for (const token of argv) {
    if (token === '--') break;
    if (token.startsWith('--') && token.length > 2) {
      const name = token.slice(2).split('=')[0] ?? '';
      found.push({ name, shown: `--${name}` });
    } else if (/^-[^-\d]/.test(token)) {
      // `-abc` is three short flags, as yargs reads it; `-a=1` is one.
      const letters = token.slice(1).split('=')[0] ?? '';
      for (const letter of letters) found.push({ name: letter, shown: `-${letter}` });
    }
  }
  return found;
}

function isKnown(name: string, known: ReadonlySet<string>): boolean {
  if (known.has(name) || known.has(kebab(name))) return true;
  // `--no-color`: yargs negates any option written with `no-` in front.
  return name.startsWith('no-') && (known.has(name.slice(3)) || known.has(kebab(name.slice(3))));
}

/**
 * The options in `argv` that `known` does not hold, each with the closest known long option when
 * one is a plausible typo.
 */
export function unknownOptions(
  argv: readonly string[],
  known: KnownOptions,
): { option: string; suggestion?: string }[] {
  const names = new Set(known.names);
  const longNames = known.names.filter((name) => name.length > 1 && !/[A-Z]/.test(name));
  const unknown: { option: string; suggestion?: string }[] = [];
  for (const token of optionTokens(argv)) {
    if (isKnown(token.name, names) || unknown.some((entry) => entry.option === token.shown)) {
      continue;
    }
    const negated = token.name.startsWith('no-') && token.shown.startsWith('--');
    const suggestion = closestMatch(negated ? token.name.slice(3) : token.name, longNames);
    unknown.push({
      option: token.shown,
      ...(suggestion !== undefined ? { suggestion: `--${negated ? 'no-' : ''}${suggestion}` } : {}),
    });
  }
  return unknown;
}

/** `unknown option --auto-aprove; did you mean --auto-approve?` (several: a list). */
export function unknownOptionsMessage(
  unknown: readonly { option: string; suggestion?: string }[],
): string {
  const [only] = unknown;
  if (only !== undefined && unknown.length === 1) {
    return `unknown option ${only.option}${only.suggestion ? `; did you mean ${only.suggestion}?` : ''}`;
  }
  const listed = unknown.map(
    (entry) => `${entry.option}${entry.suggestion ? ` (did you mean ${entry.suggestion}?)` : ''}`,
  );
  return `unknown options ${listed.join(', ')}`;
}

/** `unknown command "plna"; did you mean plan?` (the suggestion only when one is close). */
export function unknownCommandMessage(name: string, commandNames: readonly string[]): string {
  const suggestion = closestMatch(name, commandNames);
  return `unknown command "${name}"${suggestion ? `; did you mean ${suggestion}?` : ''}`;
}

/** What a usage failure happened on. */
export interface UsageContext {
  argv: readonly string[];
  /** The options of the command yargs matched (or the top level's); undefined if unreadable. */
  known: KnownOptions | undefined;
  /** The command yargs matched, undefined when none did. */
  command: string | undefined;
  /** Every command's name. */
  commandNames: readonly string[];
}

/**
 * The sentence for a yargs failure `message`: unknown options named with a suggestion, an unknown
 * command likewise, anything else in yargs' words (in the language of the environment, as yargs
 * speaks it). Options and commands are checked here rather than read from yargs' message, which is
 * translated.
 */
export function usageMessage(message: string | null, context: UsageContext): string {
  const unknown = context.known ? unknownOptions(context.argv, context.known) : [];
  if (unknown.length > 0) return unknownOptionsMessage(unknown);
  const first = context.argv.find((token) => !token.startsWith('-'));
  if (
    context.command === undefined &&
    first !== undefined &&
    !context.commandNames.includes(first)
  ) {
    return unknownCommandMessage(first, context.commandNames);
  }
  return message ?? 'invalid command line';
}
