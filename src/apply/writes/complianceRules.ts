/**
 * Writes of compliance rules: one POST per new rule under its campaign (`parentId`), updates and
 * deletes by id with `If-Match`. A create carries the rule's id, derived from the campaign and the
 * name ({@link clientRuleId}), so repeating it can only meet the rule it made (409), which apply
 * then adopts instead of creating a second one.
 */
import type { CxoneClient } from '../../cxone/client.js';
import { CxoneApiError } from '../../cxone/errors.js';
import { clientRuleId } from '../../cxone/ruleIds.js';
import { ruleBody } from '../../cxone/rules.js';
import type { ComplianceRule, ComplianceRuleFields } from '../../cxone/types.js';
import { canonicalJson } from '../../util/canonical.js';
import type { PlannedChangeOf } from '../../plan/types.js';
import type { KindWriter, LiveObject } from './types.js';

/** A change of a compliance rule. */
type RuleChange = PlannedChangeOf<'complianceRule'>;

/** The compliance rule writer. */
export const complianceRuleWriter: KindWriter<'complianceRule'> = {
  kind: 'complianceRule',
  noun: 'compliance rule',
  createBatchSize: 1,

  async create(client, items, options) {
    const [item] = items;
    if (item === undefined || items.length !== 1) {
      throw new RangeError('compliance rules are created one at a time');
    }
    const campaignId = campaignOf(item.change);
    const fields = item.body;
    const { value, meta } = await client.rules.create(
      campaignId,
      { ...fields, id: clientRuleId(campaignId, fields.name) },
      { idempotencyKey: options.idempotencyKey, ...signalOf(options.signal) },
    );
    return { meta, items: [{ ok: true, id: value.id }] };
  },

  async update(client, change, body, version, options) {
    const { value, meta } = await client.rules.update(campaignOf(change), liveId(change), body, {
      version,
      idempotencyKey: options.idempotencyKey,
      ...signalOf(options.signal),
    });
    return { meta, live: toLive(value) };
  },

  async delete(client, change, version, options) {
    const { meta } = await client.rules.delete(campaignOf(change), liveId(change), {
      version,
      idempotencyKey: options.idempotencyKey,
      ...signalOf(options.signal),
    });
    return { meta };
  },

  async readAll(client, changes, signal) {
    const campaigns = [...new Set(changes.map(campaignOf))].sort();
    const lists = await Promise.all(
      campaigns.map(async (campaignId) => ({
        campaignId,
        rules: await listOrEmpty(client, campaignId, signal),
      })),
    );
    const byCampaign = new Map(lists.map((list) => [list.campaignId, list.rules]));
    const found = new Map<string, LiveObject<'complianceRule'>>();
    for (const change of changes) {
      const rule = findRule(byCampaign.get(campaignOf(change)) ?? [], change);
      if (rule) found.set(change.key, toLive(rule));
    }
    return found;
  },

  async read(client, change, signal) {
    const rule = findRule(await listOrEmpty(client, campaignOf(change), signal), change);
    return rule === undefined ? undefined : toLive(rule);
  },

  matches(live, body) {
    return comparable(live.fields) === comparable(body);
  },

  adopts(live, change) {
    const id = createdId(change);
    return id !== undefined && live.id === id;
  },
};

/** The id a create of `change` sends, or undefined for a change without a name in its body. */
function createdId(change: RuleChange): string | undefined {
  const name = change.body?.name;
  if (typeof name !== 'string' || change.parentId === undefined) return undefined;
  return clientRuleId(change.parentId, name);
}

/**
 * The rule a change is about: by name when the change carries a body (creates, updates), else by
 * the id it was planned against (deletes).
 */
function findRule(
  rules: readonly ComplianceRule[],
  change: RuleChange,
): ComplianceRule | undefined {
  const name = typeof change.body?.name === 'string' ? change.body.name : undefined;
  if (name !== undefined) return rules.find((rule) => rule.name === name);
  return rules.find((rule) => rule.id === change.live?.id);
}

/** The writable fields in canonical form, order-free lists sorted. */
function comparable(fields: ComplianceRuleFields): string {
  const body = ruleBody(fields);
  return canonicalJson({
    ...body,
    dncListIds: [...body.dncListIds].sort(),
    timeZoneRestrictions: [...body.timeZoneRestrictions].sort((a, b) =>
      a.timeZone < b.timeZone ? -1 : a.timeZone > b.timeZone ? 1 : 0,
    ),
    geographicExclusions: [...body.geographicExclusions].sort(
      (a, b) => a.latitude - b.latitude || a.longitude - b.longitude || a.radiusKm - b.radiusKm,
    ),
  });
}

async function listOrEmpty(
  client: CxoneClient,
  campaignId: string,
  signal: AbortSignal | undefined,
): Promise<ComplianceRule[]> {
  try {
    return await client.rules.list(campaignId, signalOf(signal));
  } catch (error) {
    // A campaign deleted since the plan holds no rules; the writes will report it.
    if (error instanceof CxoneApiError && error.status === 404) return [];
    throw error;
  }
}

function toLive(rule: ComplianceRule): LiveObject<'complianceRule'> {
  return { id: rule.id, version: rule.version, fields: { ...rule } };
}

function campaignOf(change: RuleChange): string {
  if (change.parentId === undefined) {
    throw new Error(`compliance rule change ${change.key} has no campaign id`);
  }
  return change.parentId;
}

function liveId(change: RuleChange): string {
  if (!change.live) throw new Error(`change ${change.key} has no live object`);
  return change.live.id;
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
