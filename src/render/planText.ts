import type { ChalkInstance } from 'chalk';
import type { FieldChange, Plan, PlannedChange } from '../plan/types.js';
import type { TextSink } from '../util/log.js';
import { formatValue, KIND_LABELS, summaryLine } from './values.js';

/** Options of {@link renderPlanText}. */
export interface PlanTextOptions {
  color: ChalkInstance;
}

const SYMBOLS = { create: '+', update: '~', delete: '-' } as const;

/**
 * Terraform-like text: one block per change with `+`/`~`/`-`, field-level `old -> new`, objects
 * that are not in the manifests, the summary line and the digest.
 */
export function renderPlanText(plan: Plan, out: TextSink, { color }: PlanTextOptions): void {
  const paint = {
    create: color.green,
    update: color.yellow,
    delete: color.red,
  } as const;
  if (plan.changes.length === 0) {
    out.write(color.green('No changes. Live configuration matches the manifests.\n'));
  } else {
    out.write(`cxctl will make these changes on ${color.bold(plan.target.label)}:\n\n`);
    for (const change of plan.changes) {
      const paintAction = paint[change.action];
      out.write(
        `  ${paintAction(`${SYMBOLS[change.action]} ${title(change)}`)}${where(change, color)}\n`,
      );
      for (const field of change.fields) out.write(`      ${fieldLine(change, field, color)}\n`);
      out.write('\n');
    }
  }
  if (plan.unmanaged.length > 0) {
    out.write(
      color.dim(
        `Not in manifests (${plan.unmanaged.length}, left as they are; --prune removes them):\n`,
      ),
    );
    for (const object of plan.unmanaged) {
      out.write(color.dim(`  ? ${KIND_LABELS[object.kind].singular} ${object.key}\n`));
    }
    out.write('\n');
  }
  out.write(`${color.bold(summaryLine(plan.counts))}\n`);
  out.write(`Plan digest: ${plan.digest}\n`);
}

/** `wrap-up code RES_001`, `compliance rule "Spring Renewals/US-FCC hours" (deactivate)`. */
function title(change: PlannedChange): string {
  const key = change.kind === 'wrapUpCode' ? change.key : JSON.stringify(change.key);
  const mode =
    change.action === 'delete' && change.deleteMode === 'deactivate' ? ' (deactivate)' : '';
  return `${KIND_LABELS[change.kind].singular} ${key}${mode}`;
}

function where(change: PlannedChange, color: ChalkInstance): string {
  return change.source ? color.dim(`  (${change.source.file}:${change.source.line})`) : '';
}

function fieldLine(change: PlannedChange, field: FieldChange, color: ChalkInstance): string {
  if (change.action === 'create')
    return color.green(`+ ${field.path} = ${formatValue(field.newValue)}`);
  if (change.action === 'delete' && change.deleteMode !== 'deactivate') {
    return color.red(`- ${field.path} = ${formatValue(field.oldValue)}`);
  }
  if (!('oldValue' in field))
    return color.green(`+ ${field.path} = ${formatValue(field.newValue)}`);
  if (!('newValue' in field)) return color.red(`- ${field.path} = ${formatValue(field.oldValue)}`);
  return color.yellow(
    `~ ${field.path}: ${formatValue(field.oldValue)} -> ${formatValue(field.newValue)}`,
  );
}
