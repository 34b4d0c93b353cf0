/**
 * Outbound campaigns (compliance rules live under one): `GET` only, not paginated, sorted by name.
 */
import { withSignal, type ReadOptions } from './endpoint.js';
import type { HttpTransport } from './http.js';
import { SHAPES } from './shapes.js';
import { API_PATHS, type Campaign, type ItemList } from './types.js';

/** Read access to campaigns. */
export interface CampaignsApi {
  list(options?: ReadOptions): Promise<Campaign[]>;
}

/** Campaign operations over `http`. */
export function campaignsApi(http: HttpTransport): CampaignsApi {
  return {
    async list(options) {
      const response = await http.request<ItemList<Campaign>>({
        method: 'GET',
        path: API_PATHS.campaigns,
        route: `GET ${API_PATHS.campaigns}`,
        expect: SHAPES.campaigns,
        ...withSignal(options?.signal),
      });
      return response.body.items;
    },
  };
}
