/**
 * Throughput of the offline core: compliance evaluation (`cxctl test`) and CRM status lists and
 * mappings (`cxctl crm mappings`). No simulator involved: these paths never touch the network.
 */
import { performance } from 'node:perf_hooks';
import { evaluateCall } from '../src/compliance/evaluate.js';
import type { CallAttempt, EvaluatedRule } from '../src/compliance/types.js';
import { resolveCrmMappings, type CrmMapping } from '../src/crm/mappings.js';
import { parseStatusCsv } from '../src/crm/statusList.js';
import { buildDesiredState } from '../src/manifest/pipeline.js';

const rule: EvaluatedRule = {
  campaign: 'Spring Renewals',
  name: 'US-FCC calling hours',
  timeZoneRestrictions: [
    { timeZone: 'America/New_York', startHour: 8, endHour: 20 },
    { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
    { timeZone: 'Europe/London', startHour: 9, endHour: 21 },
    { timeZone: 'Asia/Kolkata', startHour: 9, endHour: 18 },
  ],
  dncLists: ['Internal DNC', 'National DNC'],
  maxCallsPerDay: 3,
  geographicExclusions: [
    { latitude: 40.7128, longitude: -74.006, radiusKm: 25 },
    { latitude: 29.7604, longitude: -95.3698, radiusKm: 80 },
  ],
};

const zones = ['America/New_York', 'America/Chicago', 'Europe/London', 'Asia/Kolkata'];

function calls(count: number): CallAttempt[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, index) => ({
    phone: `+1212555${String(index % 10_000).padStart(4, '0')}`,
    // Spread over a year in 7-minute steps, so DST changes and both window bounds are crossed.
    at: new Date(start + ((index * 7 * 60_000) % (365 * 86_400_000))).toISOString(),
    timeZone: zones[index % zones.length] as string,
    latitude: 25 + (index % 20),
    longitude: -120 + (index % 50),
    callsToday: index % 4,
    onDncLists: index % 10 === 0 ? ['Internal DNC'] : [],
  }));
}

function statusCsv(rows: number): string {
  let text = 'status,description,isClosed\r\n';
  for (let index = 0; index < rows; index++) {
    text += `STATUS_${index},"Case outcome ${index}, with ""quotes""",${index % 2 === 0}\r\n`;
  }
  return text;
}

function measure(label: string, units: number, unit: string, work: () => void): string {
  work(); // warm-up
  const runs = 5;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)] as number;
  const rate = Math.round((units / median) * 1000);
  return `| ${label} | ${units} ${unit} | ${median.toFixed(1)} ms | ${rate.toLocaleString('en-US')} ${unit}/s |`;
}

/** Print the table. */
export function run(): Promise<void> {
  const attempts = calls(100_000);
  const csv = statusCsv(20_000);
  const statuses = parseStatusCsv(csv, 'bench.csv').statuses;
  const mapping: CrmMapping = {
    system: 'salesforce',
    statuses: { file: 'bench.csv', text: csv, referencedAt: { file: 'bench.yaml', line: 1 } },
    rules: statuses.slice(0, 15_000).map((status, index) => ({
      status: status.status,
      code: `C_${index}`,
      category: 'Resolution',
      duration: 300,
      at: { file: 'bench.yaml', line: index + 2, column: 7 },
    })),
    at: { file: 'bench.yaml', line: 1, column: 3 },
  };
  // The same mapping as manifest text: what `cxctl crm mappings` and `validate` go through.
  let yaml = 'crmMappings:\n  - system: salesforce\n    statuses: bench.csv\n    rules:\n';
  for (let index = 0; index < 15_000; index++) {
    yaml += `      - { status: STATUS_${index}, code: C_${index}, category: Resolution, duration: 300 }\n`;
  }
  const crmYaml = new TextEncoder().encode(yaml);
  const csvBytes = new TextEncoder().encode(csv);
  const lines = [
    '| work | size | median | rate |',
    '|---|---|---|---|',
    measure('evaluateCall (4 zones, 2 exclusions)', attempts.length, 'calls', () => {
      for (const attempt of attempts) evaluateCall(rule, attempt);
    }),
    measure('parseStatusCsv (3 columns, quoted)', 20_000, 'rows', () => {
      parseStatusCsv(csv, 'bench.csv');
    }),
    measure('resolveCrmMappings (15k rules, 5k unmapped)', 20_000, 'statuses', () => {
      resolveCrmMappings([mapping], []);
    }),
    measure('manifest pipeline: YAML rules + CSV -> desired codes', 20_000, 'statuses', () => {
      const result = buildDesiredState([{ file: 'crm.yaml', bytes: crmYaml }], {
        env: {},
        readReferencedFile: (_manifest, path) => ({ ok: true, file: path, bytes: csvBytes }),
      });
      if (result.desired.wrapUpCodes.length !== 15_000) throw new Error('unexpected result');
    }),
  ];
  console.log(lines.join('\n'));
  return Promise.resolve();
}
