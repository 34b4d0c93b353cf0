/**
 * Seeds: the default tenant the simulator starts with, and the validation that turns any seed
 * (a `--seed` file, a `--state` file, `PUT /__sim/state`) into a consistent {@link SimulatorState}
 * with every id and version assigned.
 */
import type { Campaign, ComplianceRule, DncList, FieldError, WrapUpCode } from '../cxone/types.js';
import { IdAllocator, type IdKind } from './ids.js';
import { CLIENT_ID_PATTERN, checkRuleBody, checkWrapUpCodeBody, pointerSegment } from './rules.js';
import { isJsonObject } from '../util/json.js';
import type { SimulatorSeed, SimulatorState } from './state.js';

/**
 * The default tenant: realistic categories, campaigns and DNC lists, no wrap-up codes and no rules.
 * The shipped examples and the demo rely on these exact names.
 */
export const DEFAULT_SEED: Readonly<SimulatorSeed> = deepFreeze({
  categories: [
    'Resolution',
    'Sales',
    'Service',
    'Billing',
    'Retention',
    'Callback',
    'Escalation',
    'Compliance',
  ].map((name) => ({ name })),
  campaigns: [
    'Spring Renewals',
    'Winback 2026',
    'Collections Early Stage',
    'Service Follow-up',
    'Appointment Reminders',
  ].map((name) => ({ name })),
  dncLists: [
    { name: 'Internal DNC', active: true },
    { name: 'National DNC Registry', active: true },
    { name: 'Litigator Scrub', active: true },
    { name: 'Legacy Suppression 2019', active: false },
  ],
  wrapUpCodes: [],
  complianceRules: [],
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Keys a state file may carry beyond the state itself; ignored when the file is used as a seed. */
export const STATE_FILE_EXTRA_KEY = '_simulator';

const TOP_LEVEL_KEYS = new Set([
  'categories',
  'campaigns',
  'dncLists',
  'wrapUpCodes',
  'complianceRules',
  STATE_FILE_EXTRA_KEY,
]);

/** Outcome of {@link buildState}: the state, or every problem found (JSON Pointers + messages). */
export type BuildStateResult =
  { ok: true; state: SimulatorState } | { ok: false; errors: FieldError[] };

interface Named {
  id?: string;
  name: string;
  active?: boolean;
}

/**
 * Validate a seed and assign missing ids (`cat-N`, `cmp-N`, `dnc-N`, `wuc-NNNNNN`,
 * `rule-NNNNNN`) and versions (1). The same server rules as the API apply (schema, unique codes,
 * existing categories, one default per category, unique rule names per campaign), except that a
 * rule may reference an inactive DNC list (a list can be deactivated after rules point at it), and
 * a rule's `campaignId` and `dncListIds` may name campaigns and lists by name instead of id. A rule
 * in the older shape, with `dncLists`, is refused with a message naming `dncListIds`.
 */
export function buildState(input: unknown): BuildStateResult {
  const errors: FieldError[] = [];
  if (!isJsonObject(input)) {
    return { ok: false, errors: [{ field: '', message: 'a seed must be a JSON object' }] };
  }
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      errors.push({
        field: `/${pointerSegment(key)}`,
        message:
          'unknown key (expected categories, campaigns, dncLists, wrapUpCodes, complianceRules)',
      });
    }
  }
  const list = (key: string): unknown[] => {
    const value = input[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      errors.push({ field: `/${key}`, message: 'must be an array' });
      return [];
    }
    return value;
  };
  const ids = new IdAllocator();
  const categories = checkNamed(list('categories'), '/categories', 'category', ids, errors, false);
  const campaigns = checkNamed(list('campaigns'), '/campaigns', 'campaign', ids, errors, false);
  const dncLists = checkNamed(list('dncLists'), '/dncLists', 'dncList', ids, errors, true);
  // Rules reference campaigns and lists by id, so those get theirs before rules are checked.
  const assign = <T extends { id?: string }>(items: T[], kind: IdKind): (T & { id: string })[] =>
    items.map((item) => ({ id: item.id ?? ids.next(kind), ...item }));
  const state: SimulatorState = {
    categories: assign(categories, 'category').map(({ id, name }) => ({ id, name })),
    campaigns: assign(campaigns, 'campaign').map(({ id, name }) => ({ id, name })),
    dncLists: assign(dncLists, 'dncList').map(({ id, name, active }) => ({
      id,
      name,
      active: active ?? true,
    })),
    wrapUpCodes: [],
    complianceRules: [],
  };
  const categoryNames = new Set(state.categories.map((c) => c.name));
  const wrapUpCodes = checkCodes(list('wrapUpCodes'), categoryNames, ids, errors);
  const complianceRules = checkRules(
    list('complianceRules'),
    state.campaigns,
    state.dncLists,
    ids,
    errors,
  );
  if (errors.length > 0) return { ok: false, errors };
  state.wrapUpCodes = assign(wrapUpCodes, 'wrapUpCode');
  state.complianceRules = assign(complianceRules, 'complianceRule');
  return { ok: true, state };
}

function checkId(
  value: unknown,
  at: string,
  kind: IdKind,
  seen: Set<string>,
  ids: IdAllocator,
  errors: FieldError[],
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CLIENT_ID_PATTERN.test(value)) {
    errors.push({ field: at, message: 'must be 1..64 characters of A-Z a-z 0-9 . _ ~ -' });
    return undefined;
  }
  if (seen.has(value)) {
    errors.push({ field: at, message: `id "${value}" is used twice` });
    return undefined;
  }
  seen.add(value);
  ids.observe(kind, value);
  return value;
}

function checkVersion(value: unknown, at: string, errors: FieldError[]): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    errors.push({ field: at, message: 'must be an integer >= 1' });
    return 1;
  }
  return value;
}

function checkNamed(
  items: unknown[],
  pointer: string,
  kind: IdKind,
  ids: IdAllocator,
  errors: FieldError[],
  withActive: boolean,
): Named[] {
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  const result: Named[] = [];
  const allowed = new Set(withActive ? ['id', 'name', 'active'] : ['id', 'name']);
  items.forEach((item, index) => {
    const at = `${pointer}/${index}`;
    if (!isJsonObject(item)) {
      errors.push({ field: at, message: 'must be an object with a name' });
      return;
    }
    for (const key of Object.keys(item)) {
      if (!allowed.has(key)) {
        errors.push({ field: `${at}/${pointerSegment(key)}`, message: 'unknown field' });
      }
    }
    const id = checkId(item.id, `${at}/id`, kind, seenIds, ids, errors);
    const name = item.name;
    if (typeof name !== 'string' || name.trim() === '') {
      errors.push({ field: `${at}/name`, message: 'must be a non-empty string' });
      return;
    }
    if (seenNames.has(name)) {
      errors.push({ field: `${at}/name`, message: `name "${name}" is used twice` });
      return;
    }
    seenNames.add(name);
    const entry: Named = { name };
    if (id !== undefined) entry.id = id;
    if (withActive) {
      if (item.active !== undefined && typeof item.active !== 'boolean') {
        errors.push({ field: `${at}/active`, message: 'must be true or false' });
      }
      entry.active = item.active !== false;
    }
    result.push(entry);
  });
  return result;
}

function checkCodes(
  items: unknown[],
  categoryNames: ReadonlySet<string>,
  ids: IdAllocator,
  errors: FieldError[],
): (Omit<WrapUpCode, 'id'> & { id?: string })[] {
  const seenIds = new Set<string>();
  const seenCodes = new Set<string>();
  const defaults = new Set<string>();
  const result: (Omit<WrapUpCode, 'id'> & { id?: string })[] = [];
  items.forEach((item, index) => {
    const at = `/wrapUpCodes/${index}`;
    const fields = checkWrapUpCodeBody(item, at, errors);
    if (!fields || !isJsonObject(item)) return;
    const id = checkId(item.id, `${at}/id`, 'wrapUpCode', seenIds, ids, errors);
    const version = checkVersion(item.version, `${at}/version`, errors);
    if (seenCodes.has(fields.code)) {
      errors.push({ field: `${at}/code`, message: `code ${fields.code} is used twice` });
    }
    seenCodes.add(fields.code);
    if (!categoryNames.has(fields.category)) {
      errors.push({
        field: `${at}/category`,
        message: `category "${fields.category}" is not among the seed's categories`,
      });
    }
    if (fields.isDefault) {
      if (defaults.has(fields.category)) {
        errors.push({
          field: `${at}/isDefault`,
          message: `category "${fields.category}" already has a default wrap-up code`,
        });
      }
      defaults.add(fields.category);
    }
    result.push(id === undefined ? { version, ...fields } : { id, version, ...fields });
  });
  return result;
}

function checkRules(
  items: unknown[],
  campaigns: readonly Campaign[],
  dncLists: readonly DncList[],
  ids: IdAllocator,
  errors: FieldError[],
): (Omit<ComplianceRule, 'id'> & { id?: string })[] {
  // A seed may reference lists that are inactive, and by name: validation sees every list as
  // active, under its name and (winning on a clash) its id.
  const listsForCheck = new Map<string, DncList>();
  for (const list of dncLists) listsForCheck.set(list.name, { ...list, active: true });
  for (const list of dncLists) listsForCheck.set(list.id, { ...list, active: true });
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  const result: (Omit<ComplianceRule, 'id'> & { id?: string })[] = [];
  items.forEach((item, index) => {
    const at = `/complianceRules/${index}`;
    if (!isJsonObject(item)) {
      errors.push({ field: at, message: 'must be a compliance rule object' });
      return;
    }
    const rawCampaign = item.campaignId;
    const campaign =
      typeof rawCampaign === 'string'
        ? (campaigns.find((c) => c.id === rawCampaign) ??
          campaigns.find((c) => c.name === rawCampaign))
        : undefined;
    if (!campaign || typeof rawCampaign !== 'string') {
      errors.push({
        field: `${at}/campaignId`,
        message:
          typeof rawCampaign === 'string'
            ? `campaign "${rawCampaign}" is not among the seed's campaigns`
            : 'is required (the id or name of a campaign of the seed)',
      });
      return;
    }
    const checked = checkRuleBody(
      item,
      { dncLists: listsForCheck, campaignId: rawCampaign },
      errors,
      at,
    );
    if (!checked) return;
    const id = checkId(checked.id, `${at}/id`, 'complianceRule', seenIds, ids, errors);
    const version = checkVersion(item.version, `${at}/version`, errors);
    const nameKey = `${campaign.id}\u0000${checked.fields.name}`;
    if (seenNames.has(nameKey)) {
      errors.push({
        field: `${at}/name`,
        message: `campaign "${campaign.name}" already has a rule named "${checked.fields.name}"`,
      });
      return;
    }
    seenNames.add(nameKey);
    const rule = {
      version,
      campaignId: campaign.id,
      ...checked.fields,
      dncListIds: [
        ...new Set(checked.fields.dncListIds.map((key) => listsForCheck.get(key)?.id ?? key)),
      ],
    };
    result.push(id === undefined ? rule : { id, ...rule });
  });
  return result;
}
