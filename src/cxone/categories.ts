/**
 * Interaction categories (wrap-up codes name theirs by name): `GET` only, not paginated, sorted by name.
 */
import { withSignal, type ReadOptions } from './endpoint.js';
import type { HttpTransport } from './http.js';
import { SHAPES } from './shapes.js';
import { API_PATHS, type Category, type ItemList } from './types.js';

/** Read access to interaction categories. */
export interface CategoriesApi {
  list(options?: ReadOptions): Promise<Category[]>;
}

/** Category operations over `http`. */
export function categoriesApi(http: HttpTransport): CategoriesApi {
  return {
    async list(options) {
      const response = await http.request<ItemList<Category>>({
        method: 'GET',
        path: API_PATHS.categories,
        route: `GET ${API_PATHS.categories}`,
        expect: SHAPES.categories,
        ...withSignal(options?.signal),
      });
      return response.body.items;
    },
  };
}
