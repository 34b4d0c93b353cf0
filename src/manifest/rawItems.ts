import type { RawItem } from '../kinds/types.js';
import type { ManifestResult } from './pipeline.js';
import type { ManifestPointer } from './types.js';

/** Look up manifest items as written, by the pointer the pipeline gave them. */
export function rawItemLookup(
  result: ManifestResult,
): (at: ManifestPointer) => RawItem | undefined {
  // One index per list, built on first use: only rules ask, so a plan of codes never builds one.
  const indexes = new Map<string, Map<string, RawItem>>();
  const keyOf = (at: ManifestPointer): string =>
    `${at.file}\u0000${at.document}\u0000${at.path.join('\u0000')}`;
  return (at) => {
    const list = at.path[0];
    if (typeof list !== 'string' || !(list in result.merged.items)) return undefined;
    let index = indexes.get(list);
    if (!index) {
      index = new Map();
      for (const item of result.merged.items[list as keyof typeof result.merged.items]) {
        index.set(keyOf(item.at), item.value);
      }
      indexes.set(list, index);
    }
    return index.get(keyOf(at));
  };
}
