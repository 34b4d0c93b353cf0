/**
 * Route templates (`/api/v2/campaigns/{campaignId}/rules/{ruleId}`) matched segment by segment.
 * The template doubles as the request log's label.
 */

/** A route: its template and whatever the server attaches per method. */
export interface Route<M> {
  template: string;
  methods: Readonly<Record<string, M>>;
}

/** A match: the route and its decoded path parameters. */
export interface RouteMatch<M> {
  route: Route<M>;
  params: Record<string, string>;
}

interface Compiled<M> {
  route: Route<M>;
  segments: { literal?: string; param?: string }[];
}

/** Thrown for a path whose percent-encoding is broken. */
export class MalformedPathError extends Error {}

/** A fixed set of routes. */
export class Router<M> {
  private readonly compiled: Compiled<M>[];

  constructor(routes: readonly Route<M>[]) {
    this.compiled = routes.map((route) => ({
      route,
      segments: route.template
        .split('/')
        .slice(1)
        .map((part) => {
          const param = /^\{(\w+)\}$/.exec(part)?.[1];
          return param === undefined ? { literal: part } : { param };
        }),
    }));
  }

  /** The route for `pathname` (no query), or undefined. */
  match(pathname: string): RouteMatch<M> | undefined {
    const parts = pathname.split('/').slice(1);
    for (const { route, segments } of this.compiled) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i]!;
        const part = parts[i]!;
        if (segment.literal !== undefined) {
          if (segment.literal !== part) {
            matched = false;
            break;
          }
        } else {
          if (part === '') {
            matched = false;
            break;
          }
          try {
            params[segment.param!] = decodeURIComponent(part);
          } catch {
            throw new MalformedPathError(
              `the path segment "${part}" is not valid percent-encoding`,
            );
          }
        }
      }
      if (matched) return { route, params };
    }
    return undefined;
  }
}
