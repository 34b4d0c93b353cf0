/**
 * Do-not-call lists (rules reference active ones by id): `GET` only, not paginated, sorted by name.
 */
import { withSignal, type ReadOptions } from './endpoint.js';
import type { HttpTransport } from './http.js';
import { SHAPES } from './shapes.js';
import { API_PATHS, type DncList, type ItemList } from './types.js';

/** Read access to DNC lists. */
export interface DncListsApi {
  list(options?: ReadOptions): Promise<DncList[]>;
}

/** DncList operations over `http`. */
export function dncListsApi(http: HttpTransport): DncListsApi {
  return {
    async list(options) {
      const response = await http.request<ItemList<DncList>>({
        method: 'GET',
        path: API_PATHS.dncLists,
        route: `GET ${API_PATHS.dncLists}`,
        expect: SHAPES.dncLists,
        ...withSignal(options?.signal),
      });
      return response.body.items;
    },
  };
}
