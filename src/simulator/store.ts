/**
 * The simulated tenant's data: in-memory objects with ids and versions, the indexes the server rules
 * need (code -> id, category -> its default code), and the write operations with their conflicts.
 *
 * Input is already schema-checked (see rules.ts); the store enforces what needs the data itself:
 * uniqueness, references, one default per category. Every successful write calls `onChange`.
 */
import type {
  Campaign,
  Category,
  ComplianceRule,
  ComplianceRuleFields,
  DncList,
  WrapUpCode,
  WrapUpCodeFields,
} from '../cxone/types.js';
import { IdAllocator, type IdCounters } from './ids.js';
import { cloneJson, type SimulatorState } from './state.js';

/** A write the data refused, with the API error code to answer. */
export interface Conflict {
  code:
    | 'CODE_EXISTS'
    | 'CATEGORY_NOT_FOUND'
    | 'DEFAULT_CONFLICT'
    | 'RULE_NAME_EXISTS'
    | 'RULE_ID_EXISTS';
  message: string;
  /** JSON Pointer of the offending field (relative to one object). */
  field: string;
}

/** Result of a write: the stored object, or why not. */
export type WriteResult<T> = { ok: true; value: T } | { ok: false; conflict: Conflict };

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** In-memory tenant data. */
export class Store {
  private readonly categories = new Map<string, Category>();
  private readonly categoryNames = new Set<string>();
  private readonly campaigns = new Map<string, Campaign>();
  private readonly dncLists = new Map<string, DncList>();
  private readonly codes = new Map<string, WrapUpCode>();
  private readonly codeIds = new Map<string, string>();
  private readonly defaultCodeIds = new Map<string, string>();
  private readonly rules = new Map<string, ComplianceRule>();
  /** Codes in creation order, rebuilt lazily after a create or delete. */
  private codeOrder: WrapUpCode[] | undefined;
  private ids: IdAllocator;

  /** Called after every successful write. */
  onChange: () => void = () => {};

  /** A store holding `state` (already validated, ids assigned; see seed.ts). */
  constructor(state: SimulatorState, counters?: Partial<IdCounters>) {
    this.ids = new IdAllocator();
    this.load(state, counters);
  }

  /** Replace everything with `state` (validated). Counters continue from the ids it holds. */
  load(state: SimulatorState, counters?: Partial<IdCounters>): void {
    this.categories.clear();
    this.categoryNames.clear();
    this.campaigns.clear();
    this.dncLists.clear();
    this.codes.clear();
    this.codeIds.clear();
    this.defaultCodeIds.clear();
    this.rules.clear();
    this.codeOrder = undefined;
    this.ids = new IdAllocator();
    if (counters) this.ids.raiseTo(counters);
    for (const category of state.categories) {
      this.categories.set(category.id, { id: category.id, name: category.name });
      this.categoryNames.add(category.name);
      this.ids.observe('category', category.id);
    }
    for (const campaign of state.campaigns) {
      this.campaigns.set(campaign.id, { id: campaign.id, name: campaign.name });
      this.ids.observe('campaign', campaign.id);
    }
    for (const list of state.dncLists) {
      this.dncLists.set(list.id, { id: list.id, name: list.name, active: list.active });
      this.ids.observe('dncList', list.id);
    }
    for (const code of state.wrapUpCodes) {
      this.indexCode(cloneCode(code));
      this.ids.observe('wrapUpCode', code.id);
    }
    for (const rule of state.complianceRules) {
      this.rules.set(rule.id, cloneJson(rule));
      this.ids.observe('complianceRule', rule.id);
    }
  }

  /** A deep copy of everything, in creation order. */
  snapshot(): SimulatorState {
    return {
      categories: [...this.categories.values()].map((c) => ({ ...c })),
      campaigns: [...this.campaigns.values()].map((c) => ({ ...c })),
      dncLists: [...this.dncLists.values()].map((d) => ({ ...d })),
      wrapUpCodes: [...this.codes.values()].map(cloneCode),
      complianceRules: cloneJson([...this.rules.values()]),
    };
  }

  /** The id counters, for the state file. */
  counters(): IdCounters {
    return this.ids.snapshot();
  }

  // ---- categories, campaigns, DNC lists (read-only through the API) ----

  /** Categories sorted by name. */
  listCategories(): Category[] {
    return [...this.categories.values()].sort(byName).map((c) => ({ ...c }));
  }

  /** Campaigns sorted by name. */
  listCampaigns(): Campaign[] {
    return [...this.campaigns.values()].sort(byName).map((c) => ({ ...c }));
  }

  /** DNC lists sorted by name. */
  listDncLists(): DncList[] {
    return [...this.dncLists.values()].sort(byName).map((d) => ({ ...d }));
  }

  /** DNC lists by id (read-only view for rule validation). */
  dncListsById(): ReadonlyMap<string, DncList> {
    return this.dncLists;
  }

  hasCampaign(id: string): boolean {
    return this.campaigns.has(id);
  }

  // ---- wrap-up codes ----

  /** Number of wrap-up codes. */
  codeCount(): number {
    return this.codes.size;
  }

  /** Codes `[offset, offset + limit)` in creation order (copies). */
  codeSlice(offset: number, limit: number): WrapUpCode[] {
    this.codeOrder ??= [...this.codes.values()];
    return this.codeOrder.slice(offset, offset + limit).map((c) => cloneCode(c));
  }

  /** One code (a copy), or undefined. */
  getCode(id: string): WrapUpCode | undefined {
    const code = this.codes.get(id);
    return code && cloneCode(code);
  }

  /** Create a code; conflicts are per item (the batch goes on). */
  createCode(fields: WrapUpCodeFields): WriteResult<WrapUpCode> {
    const conflict = this.codeConflict(fields, undefined);
    if (conflict) return { ok: false, conflict };
    const id = this.ids.next('wrapUpCode', (candidate) => this.codes.has(candidate));
    const code: WrapUpCode = { id, version: 1, ...fields };
    this.indexCode(code);
    this.codeOrder = undefined;
    this.onChange();
    return { ok: true, value: cloneCode(code) };
  }

  /** Replace the writable fields of code `id` (which must exist) and bump its version. */
  replaceCode(id: string, fields: WrapUpCodeFields): WriteResult<WrapUpCode> {
    const current = this.codes.get(id);
    if (!current) throw new Error(`replaceCode: no code ${id}`);
    const conflict = this.codeConflict(fields, id);
    if (conflict) return { ok: false, conflict };
    this.unindexCode(current);
    const next: WrapUpCode = { id, version: current.version + 1, ...fields };
    this.indexCode(next);
    // Same position in creation order: Map.set on an existing key keeps it.
    if (this.codeOrder) this.codeOrder = undefined;
    this.onChange();
    return { ok: true, value: cloneCode(next) };
  }

  /** Delete code `id`; false when it does not exist. */
  deleteCode(id: string): boolean {
    const current = this.codes.get(id);
    if (!current) return false;
    this.unindexCode(current);
    this.codes.delete(id);
    this.codeOrder = undefined;
    this.onChange();
    return true;
  }

  private codeConflict(fields: WrapUpCodeFields, selfId: string | undefined): Conflict | undefined {
    const owner = this.codeIds.get(fields.code);
    if (owner !== undefined && owner !== selfId) {
      return {
        code: 'CODE_EXISTS',
        message: `wrap-up code ${fields.code} already exists (id ${owner})`,
        field: '/code',
      };
    }
    if (!this.categoryNames.has(fields.category)) {
      return {
        code: 'CATEGORY_NOT_FOUND',
        message: `category "${fields.category}" does not exist`,
        field: '/category',
      };
    }
    if (fields.isDefault) {
      const defaultId = this.defaultCodeIds.get(fields.category);
      if (defaultId !== undefined && defaultId !== selfId) {
        const other = this.codes.get(defaultId);
        return {
          code: 'DEFAULT_CONFLICT',
          message: `category "${fields.category}" already has a default wrap-up code (${other?.code ?? defaultId})`,
          field: '/isDefault',
        };
      }
    }
    return undefined;
  }

  private indexCode(code: WrapUpCode): void {
    this.codes.set(code.id, code);
    this.codeIds.set(code.code, code.id);
    if (code.isDefault) this.defaultCodeIds.set(code.category, code.id);
  }

  private unindexCode(code: WrapUpCode): void {
    if (this.codeIds.get(code.code) === code.id) this.codeIds.delete(code.code);
    if (this.defaultCodeIds.get(code.category) === code.id) {
      this.defaultCodeIds.delete(code.category);
    }
  }

  // ---- compliance rules ----

  /** Rules of one campaign in creation order (copies). */
  listRules(campaignId: string): ComplianceRule[] {
    const result: ComplianceRule[] = [];
    for (const rule of this.rules.values()) {
      if (rule.campaignId === campaignId) result.push(cloneJson(rule));
    }
    return result;
  }

  /** One rule of a campaign (a copy), or undefined (also when it belongs to another campaign). */
  getRule(campaignId: string, id: string): ComplianceRule | undefined {
    const rule = this.rules.get(id);
    return rule && rule.campaignId === campaignId ? cloneJson(rule) : undefined;
  }

  /** Create a rule in `campaignId` (which must exist), with a client-chosen id when given. */
  createRule(
    campaignId: string,
    fields: ComplianceRuleFields,
    requestedId?: string,
  ): WriteResult<ComplianceRule> {
    if (requestedId !== undefined && this.rules.has(requestedId)) {
      return {
        ok: false,
        conflict: {
          code: 'RULE_ID_EXISTS',
          message: `a compliance rule with id ${requestedId} already exists`,
          field: '/id',
        },
      };
    }
    const conflict = this.ruleNameConflict(campaignId, fields.name, undefined);
    if (conflict) return { ok: false, conflict };
    const id =
      requestedId ?? this.ids.next('complianceRule', (candidate) => this.rules.has(candidate));
    const rule: ComplianceRule = { id, version: 1, campaignId, ...cloneJson(fields) };
    this.rules.set(id, rule);
    this.onChange();
    return { ok: true, value: cloneJson(rule) };
  }

  /** Replace rule `id` (which must exist in `campaignId`) and bump its version. */
  replaceRule(
    campaignId: string,
    id: string,
    fields: ComplianceRuleFields,
  ): WriteResult<ComplianceRule> {
    const current = this.rules.get(id);
    if (!current || current.campaignId !== campaignId) {
      throw new Error(`replaceRule: no rule ${id} in ${campaignId}`);
    }
    const conflict = this.ruleNameConflict(campaignId, fields.name, id);
    if (conflict) return { ok: false, conflict };
    const next: ComplianceRule = {
      id,
      version: current.version + 1,
      campaignId,
      ...cloneJson(fields),
    };
    this.rules.set(id, next);
    this.onChange();
    return { ok: true, value: cloneJson(next) };
  }

  /** Delete rule `id` of `campaignId`; false when it does not exist there. */
  deleteRule(campaignId: string, id: string): boolean {
    const current = this.rules.get(id);
    if (!current || current.campaignId !== campaignId) return false;
    this.rules.delete(id);
    this.onChange();
    return true;
  }

  private ruleNameConflict(
    campaignId: string,
    name: string,
    selfId: string | undefined,
  ): Conflict | undefined {
    for (const rule of this.rules.values()) {
      if (rule.campaignId === campaignId && rule.name === name && rule.id !== selfId) {
        return {
          code: 'RULE_NAME_EXISTS',
          message: `campaign ${campaignId} already has a rule named "${name}" (id ${rule.id})`,
          field: '/name',
        };
      }
    }
    return undefined;
  }
}

function cloneCode(code: WrapUpCode): WrapUpCode {
  // A wrap-up code is a flat object of primitives: a spread is a full copy, and much cheaper than
  // structuredClone on the hot paths (lists of 500, batches of 100, seeds of 10,000).
  return { ...code };
}
