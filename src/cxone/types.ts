/**
 * Wire shapes of the CXone API as cxctl speaks it (docs/cxone-api.md).
 * Shared by the client and the embedded simulator so both sides agree at compile time.
 */

/** An interaction category; wrap-up codes name their category by `name`. */
export interface Category {
  id: string;
  name: string;
}

/** An outbound campaign; compliance rules live under a campaign. */
export interface Campaign {
  id: string;
  name: string;
}

/** A do-not-call list; rules may only reference active lists. */
export interface DncList {
  id: string;
  name: string;
  active: boolean;
}

/** The writable fields of a wrap-up (disposition) code. */
export interface WrapUpCodeFields {
  /** Natural key: `^[A-Z0-9][A-Z0-9_-]{1,31}$`, unique in the tenant. */
  code: string;
  /** 1..100 characters. */
  name: string;
  /** Name of an existing category. */
  category: string;
  /** Seconds of after-call work, integer 1..7200. */
  duration: number;
  isActive: boolean;
  /** At most one default per category. */
  isDefault: boolean;
  /** Up to 500 characters; absent when empty. */
  description?: string;
}

/** Fields the server assigns: an opaque id and a version incremented by every write. */
export interface ServerFields {
  id: string;
  version: number;
}

/** A wrap-up code as the API returns it. */
export type WrapUpCode = WrapUpCodeFields & ServerFields;

/** The compliance rule types the API accepts. */
export const RULE_TYPES = ['TIME_RESTRICTION', 'DNC_COMPLIANCE', 'FREQUENCY_LIMIT'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** Calling window in the callee's local time: [startHour, endHour), hours 0..23. */
export interface TimeZoneRestriction {
  /** IANA time zone, e.g. `America/New_York`. */
  timeZone: string;
  /** Whole-hour window [startHour, endHour); or `start`/`end`, or `closed`. */
  startHour?: number;
  endHour?: number;
  /** Local `"HH:MM"` window [start, end). */
  start?: string;
  end?: string;
  /** Weekdays (`mon`..`sun`) on which this entry replaces the zone's default window. */
  days?: string[];
  /** No calls (on `days`, or on every day without a day entry). */
  closed?: boolean;
}

/** Days with no calls: a country's (and subdivision's) public holidays and/or local dates. */
export interface RuleHolidays {
  country?: string;
  subdivision?: string;
  /** `YYYY-MM-DD` */
  dates?: string[];
}

/** A US state's own window and call limit. */
export interface RuleStateRule {
  state: string;
  start?: string;
  end?: string;
  maxCalls?: number;
  per?: 'calendar-day' | 'rolling-24h';
}

/** A circle no call may be placed into. */
export interface GeographicExclusion {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

/** The writable fields of a campaign compliance rule. */
export interface ComplianceRuleFields {
  /** >= 3 characters, unique within the campaign. */
  name: string;
  type: RuleType;
  jurisdiction: string;
  /** Non-empty. */
  timeZoneRestrictions: TimeZoneRestriction[];
  /** Ids of existing, active DNC lists; non-empty. */
  dncListIds: string[];
  /** Integer >= 1. */
  maxCallsPerDay: number;
  /** Integer 1..10 (regulatory maximum). */
  concurrencyLimit: number;
  /** Optional; the API returns `[]` when none. */
  geographicExclusions: GeographicExclusion[];
  /** Optional: holidays with no calls. */
  holidays?: RuleHolidays;
  /** Optional: how maxCallsPerDay counts; absent means `calendar-day`. */
  callCounting?: 'calendar-day' | 'rolling-24h';
  /** Optional: least minutes between two attempts to one callee. */
  minMinutesBetweenCalls?: number;
  /** Optional: US state overrides. */
  stateRules?: RuleStateRule[];
}

/** A compliance rule as the API returns it. */
export type ComplianceRule = ComplianceRuleFields & ServerFields & { campaignId: string };

/**
 * The body of a rule create: the writable fields and, optionally, the id the client chose for the
 * new rule (a UUID; cxctl derives it from the campaign and the rule name, see `clientRuleId`).
 */
export type NewComplianceRule = ComplianceRuleFields & { id?: string };

/** One page of a paginated list. `page` is 1-based. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  totalCount: number;
}

/** Unpaginated lists (categories, campaigns, DNC lists). */
export interface ItemList<T> {
  items: T[];
}

/** Per-item failure in a batch create. */
export interface BatchItemError {
  index: number;
  /** e.g. `CODE_EXISTS`, `CATEGORY_NOT_FOUND`, `DEFAULT_CONFLICT`. */
  code: string;
  message: string;
}

/** Response of the wrap-up code batch create: an id or null per item, in request order. */
export interface BatchCreateResult {
  ids: (string | null)[];
  errors: BatchItemError[];
}

/** A field-level validation error; `field` is a JSON Pointer into the request body. */
export interface FieldError {
  field: string;
  message: string;
}

/** Every error body the API returns. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** Successful token response (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** API paths, relative to the API base URL. */
export const API_PATHS = {
  wrapUpCodes: '/api/v2/contact-center/interaction-config/wrap-up-codes',
  categories: '/api/v2/contact-center/interaction-config/categories',
  campaigns: '/api/v2/campaigns',
  dncLists: '/api/v2/dnc/lists',
  /** Rules of one campaign: `${campaigns}/{campaignId}/rules`. */
  campaignRules: (campaignId: string): string =>
    `/api/v2/campaigns/${encodeURIComponent(campaignId)}/rules`,
  tokenPaths: ['/oauth/token', '/oauth2/token'] as const,
} as const;

/** Largest page the list endpoints serve, and the default. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
/** Largest wrap-up code batch create. */
export const MAX_BATCH_SIZE = 100;
