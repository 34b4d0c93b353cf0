import type { Plan } from '../plan/types.js';
import type { TextSink } from '../util/log.js';

/** The plan as JSON text (the shape documented by schemas/plan.schema.json), two-space indented. */
export function planJsonText(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The plan as JSON (the shape documented by schemas/plan.schema.json), two-space indented. */
export function renderPlanJson(plan: Plan, out: TextSink): void {
  out.write(planJsonText(plan));
}
