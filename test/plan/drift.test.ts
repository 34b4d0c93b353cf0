import { describe, expect, it } from 'vitest';
import { driftEventReport, driftFromPlan, pathToPointer } from '../../src/plan/drift.js';
import { codesYaml, planTexts, stateOf } from '../helpers/planning.js';

describe('drift', () => {
  it('reads drifted, missing and unmanaged objects from a plan without prune', () => {
    const state = stateOf({
      wrapUpCodes: [
        { code: 'AA', name: 'A', category: 'Sales', duration: 99 },
        { code: 'HAND', name: 'By hand', category: 'Sales', duration: 5 },
      ],
    });
    const { plan } = planTexts(
      {
        'm.yaml': codesYaml([
          { code: 'AA', name: 'A', category: 'Sales', duration: 60, description: 'set' },
          { code: 'BB', name: 'B', category: 'Sales', duration: 60 },
        ]),
      },
      state,
    );
    const report = driftFromPlan(plan);
    expect(report.hasDrift).toBe(true);
    expect(report.drifted).toEqual([
      {
        kind: 'wrapUpCode',
        key: 'AA',
        liveId: state.wrapUpCodes[0]!.id,
        fields: [
          { path: 'description', desired: 'set' },
          { path: 'duration', live: 99, desired: 60 },
        ],
        source: { file: 'm.yaml', line: 3 },
      },
    ]);
    expect(report.missing).toEqual([
      { kind: 'wrapUpCode', key: 'BB', source: { file: 'm.yaml', line: 4 } },
    ]);
    expect(report.unmanaged).toEqual([
      { kind: 'wrapUpCode', key: 'HAND', id: state.wrapUpCodes[1]!.id },
    ]);
    expect(report.counts).toEqual({ drifted: 1, missing: 1, unmanaged: 1 });
    expect(report.countsByKind.complianceRule).toEqual({ drifted: 0, missing: 0, unmanaged: 0 });
    const event = driftEventReport(report);
    expect(event.drifted[0]!.fields[1]).toEqual({ path: '/duration', live: 99, desired: 60 });
    expect(event.unmanaged).toEqual([
      { kind: 'wrapUpCode', key: 'HAND', id: state.wrapUpCodes[1]!.id },
    ]);
  });

  it('reports no drift when live matches', () => {
    const state = stateOf({
      wrapUpCodes: [{ code: 'AA', name: 'A', category: 'Sales', duration: 60 }],
    });
    const { plan } = planTexts(
      { 'm.yaml': codesYaml([{ code: 'AA', name: 'A', category: 'Sales', duration: 60 }]) },
      state,
    );
    expect(driftFromPlan(plan)).toMatchObject({ hasDrift: false, counts: { drifted: 0 } });
  });

  it('turns readable paths into JSON Pointers, member keys escaped', () => {
    expect(pathToPointer('duration')).toBe('/duration');
    expect(pathToPointer('timeZoneRestrictions[America/New_York].endHour')).toBe(
      '/timeZoneRestrictions/America~1New_York/endHour',
    );
    expect(pathToPointer('geographicExclusions[40.7,-74.0].radiusKm')).toBe(
      '/geographicExclusions/40.7,-74.0/radiusKm',
    );
    expect(pathToPointer('timeZoneRestrictions[Etc/GMT+5]')).toBe(
      '/timeZoneRestrictions/Etc~1GMT+5',
    );
  });
});
