import type { KindName } from '../plan/types.js';

/** How each kind is named in output. */
export const KIND_LABELS: Record<KindName, { singular: string; plural: string }> = {
  wrapUpCode: { singular: 'wrap-up code', plural: 'Wrap-up codes' },
  complianceRule: { singular: 'compliance rule', plural: 'Compliance rules' },
};

/**
 * A value as a reviewer reads it: strings quoted, arrays and objects as compact JSON-like text.
 * Long values are kept whole; renderers decide about truncation.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => `${name}: ${formatValue(member)}`);
    return `{${members.join(', ')}}`;
  }
  // Numbers, booleans and null are all that is left; JSON spells them the way manifests do.
  return JSON.stringify(value) ?? typeof value;
}

/**
 * "Plan: 1 to create, 2 to update, 0 to delete.", with ", 3 to deactivate" after the deletes when
 * a prune deactivates (deleted and deactivated objects are told apart).
 */
export function summaryLine(counts: {
  create: number;
  update: number;
  delete: number;
  deactivate?: number;
}): string {
  const deactivate = counts.deactivate ?? 0;
  const deactivations = deactivate > 0 ? `, ${deactivate} to deactivate` : '';
  return `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete${deactivations}.`;
}
