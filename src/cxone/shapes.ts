/**
 * What a successful answer must look like, checked where it enters the client: a server that is
 * broken, hostile or not CXone at all (a proxy's HTML page, truncated JSON, a list that is not a
 * list) fails the request with the route and what was wrong, instead of failing later somewhere
 * that cannot say why.
 *
 * Each check returns undefined when the body is fine, else a short description of the first
 * problem with its JSON Pointer (`/items/3 is null, not an object`).
 */
import { isJsonObject } from '../util/json.js';

/** A check of a parsed 2xx body: `what` names the shape for the message. */
export interface ShapeCheck {
  /** E.g. `a page of wrap-up codes`. */
  what: string;
  check: (body: unknown) => string | undefined;
}

/** Parsing a 2xx body: the JSON value (undefined for an empty body), or what is wrong with it. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: string };

/** A 2xx body must be JSON, sent as JSON. An empty body (204, a DELETE) is fine. */
export function parseJsonBody(
  text: string | undefined,
  contentType: string | undefined,
): ParsedBody {
  if (text === undefined || text === '') return { ok: true, value: undefined };
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!/^application\/(?:[\w.+-]+\+)?json$/.test(type)) {
    return { ok: false, problem: `it was sent as ${type === '' ? 'no content type' : type}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : '';
    return {
      ok: false,
      problem: /end of (?:JSON )?input|Unterminated/i.test(message)
        ? `it ends after ${text.length} characters, in the middle of a value`
        : 'it does not parse as JSON',
    };
  }
}

/** Checks one field of an object; returns the problem or undefined. */
type FieldCheck = (value: unknown) => string | undefined;

const isString: FieldCheck = (value) => (typeof value === 'string' ? undefined : 'a string');
const isInteger: FieldCheck = (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? undefined : 'an integer';
const isBoolean: FieldCheck = (value) => (typeof value === 'boolean' ? undefined : 'a boolean');

/** `null`, `"text"`, `[...]` ... in words, for "is X, not Y". */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'missing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** An object whose listed fields have the listed types (other fields are allowed). */
function objectWith(
  fields: Record<string, FieldCheck>,
): (value: unknown, at: string) => string | undefined {
  return (value, at) => {
    if (!isJsonObject(value)) return `${at || '/'} is ${describe(value)}, not an object`;
    for (const [name, check] of Object.entries(fields)) {
      const wanted = check(value[name]);
      if (wanted !== undefined) {
        return `${at}/${name} is ${describe(value[name])}, not ${wanted}`;
      }
    }
    return undefined;
  };
}

/** Every item of `items` passes `item`. */
function listOf(
  items: unknown,
  at: string,
  item: (value: unknown, at: string) => string | undefined,
): string | undefined {
  if (!Array.isArray(items)) return `${at} is ${describe(items)}, not a list`;
  for (let index = 0; index < items.length; index++) {
    const problem = item(items[index], `${at}/${index}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const SERVER_FIELDS = { id: isString, version: isInteger };

const wrapUpCode = objectWith({
  ...SERVER_FIELDS,
  code: isString,
  name: isString,
  category: isString,
  duration: isInteger,
  isActive: isBoolean,
  isDefault: isBoolean,
});
const complianceRule = objectWith({ ...SERVER_FIELDS, name: isString, type: isString });
const named = objectWith({ id: isString, name: isString });

/** A page: `items` a list of valid items, `page`, `pageSize` and `totalCount` whole numbers. */
function pageOf(
  what: string,
  item: (value: unknown, at: string) => string | undefined,
): ShapeCheck {
  const counts = objectWith({ page: isInteger, pageSize: isInteger, totalCount: isInteger });
  return {
    what: `a page of ${what}`,
    check: (body) => {
      const problem = counts(body, '');
      if (problem !== undefined) return problem;
      const page = body as { items: unknown; totalCount: number; pageSize: number };
      if (page.totalCount < 0) return `/totalCount is ${page.totalCount}, not a count`;
      if (page.pageSize < 0) return `/pageSize is ${page.pageSize}, not a size`;
      return listOf(page.items, '/items', item);
    },
  };
}

/** One object, checked like a list item. */
function single(
  what: string,
  item: (value: unknown, at: string) => string | undefined,
): ShapeCheck {
  return { what, check: (body) => item(body, '') };
}

/** An unpaginated `{items: [...]}` list. */
function itemList(
  what: string,
  item: (value: unknown, at: string) => string | undefined,
): ShapeCheck {
  return {
    what: `a list of ${what}`,
    check: (body) =>
      isJsonObject(body)
        ? listOf(body.items, '/items', item)
        : `/ is ${describe(body)}, not an object`,
  };
}

/** The shapes of the routes cxctl reads. */
export const SHAPES = {
  wrapUpCodePage: pageOf('wrap-up codes', wrapUpCode),
  wrapUpCode: single('a wrap-up code', wrapUpCode),
  rulePage: pageOf('compliance rules', complianceRule),
  rule: single('a compliance rule', complianceRule),
  categories: itemList('categories', named),
  campaigns: itemList('campaigns', named),
  dncLists: itemList('DNC lists', objectWith({ id: isString, name: isString, active: isBoolean })),
  batchCreate: {
    what: 'a batch create result',
    check: (body: unknown) => {
      if (!isJsonObject(body)) return `/ is ${describe(body)}, not an object`;
      const ids = listOf(body.ids, '/ids', (value, at) =>
        value === null || typeof value === 'string'
          ? undefined
          : `${at} is ${describe(value)}, not an id or null`,
      );
      return (
        ids ??
        listOf(
          body.errors,
          '/errors',
          objectWith({ index: isInteger, code: isString, message: isString }),
        )
      );
    },
  },
} satisfies Record<string, ShapeCheck>;
