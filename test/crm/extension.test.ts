import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crmResolutionOf } from '../../src/crm/extension.js';
import { manifestDigest } from '../../src/manifest/digest.js';
import { desiredValues, type ReferencedFileReader } from '../../src/manifest/pipeline.js';
import { codeYaml, validateTexts } from '../helpers/manifests.js';

/** Files that manifests name, read from memory with the same relative-path rule as the CLI. */
function reader(files: Record<string, string | Uint8Array>): ReferencedFileReader {
  return (manifestFile, relativePath) => {
    const file = posix.normalize(posix.join(posix.dirname(manifestFile), relativePath));
    const content = files[file];
    if (content === undefined) return { ok: false, file, message: 'the file does not exist' };
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    return { ok: true, file, bytes };
  };
}

const CRM = `crmMappings:
  - system: salesforce
    statuses: crm/sf.csv
    rules:
      - { status: CLOSED, code: SF_CLOSED, category: Resolution, duration: 300 }
      - status: OPEN
        code: SF_OPEN
        category: Callback
        duration: 60
        isActive: false
`;
const CSV = 'status,description\nCLOSED,Case closed\nOPEN,Open case\n';

function run(
  manifests: Record<string, string>,
  files: Record<string, string | Uint8Array> = { 'teams/crm/sf.csv': CSV },
) {
  return validateTexts(manifests, { readReferencedFile: reader(files) });
}

describe('CRM mappings in the manifest pipeline', () => {
  it('adds generated codes to the desired wrap-up codes, located at their rule', () => {
    const result = run({
      'codes.yaml': `wrapUpCodes:\n${codeYaml('AA_1')}`,
      'teams/crm.yaml': CRM,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.desired.wrapUpCodes.map(({ value, at }) => [value.code, at])).toEqual([
      ['AA_1', { file: 'codes.yaml', document: 0, path: ['wrapUpCodes', 0] }],
      ['SF_CLOSED', { file: 'teams/crm.yaml', document: 0, path: ['crmMappings', 0, 'rules', 0] }],
      ['SF_OPEN', { file: 'teams/crm.yaml', document: 0, path: ['crmMappings', 0, 'rules', 1] }],
    ]);
    expect(result.desired.wrapUpCodes[2]?.value).toEqual({
      code: 'SF_OPEN',
      name: 'Open case',
      category: 'Callback',
      duration: 60,
      isActive: false,
      isDefault: false,
      description: 'Synced from salesforce status OPEN',
    });
    expect(result.locator.format(result.desired.wrapUpCodes[2]!.at)).toBe('teams/crm.yaml:6:9');
    expect(crmResolutionOf(result).table.map((row) => row.code)).toEqual(['SF_CLOSED', 'SF_OPEN']);
  });

  it('keeps one code when the explicit declaration agrees, located at the declaration', () => {
    const explicit = `wrapUpCodes:\n${codeYaml('SF_CLOSED', {
      name: 'Case closed',
      description: 'Synced from salesforce status CLOSED',
    })}`;
    const result = run({ 'codes.yaml': explicit, 'teams/crm.yaml': CRM });
    expect(result.ok).toBe(true);
    const closed = result.desired.wrapUpCodes.filter((item) => item.value.code === 'SF_CLOSED');
    expect(closed.map((item) => item.at.file)).toEqual(['codes.yaml']);
  });

  it('checks generated codes with the explicit ones: one default per category', () => {
    const explicit = `wrapUpCodes:\n${codeYaml('RES_1', { isDefault: true })}`;
    const crm = CRM.replace('duration: 300 }', 'duration: 300, isDefault: true }');
    const result = run({ 'codes.yaml': explicit, 'teams/crm.yaml': crm });
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'teams/crm.yaml:5:92 category "Resolution" has more than one default wrap-up code: SF_CLOSED here and RES_1 at codes.yaml:6:16',
    ]);
  });

  it('reports a status list it cannot read where the manifest names it', () => {
    const result = run({ 'teams/crm.yaml': CRM }, {});
    expect(result.diagnostics).toMatchObject([
      {
        code: 'crm.statusFileUnreadable',
        file: 'teams/crm.yaml',
        line: 3,
        column: 15,
        message: 'cannot read the salesforce status list teams/crm/sf.csv: the file does not exist',
      },
    ]);
    expect(result.desired.wrapUpCodes).toEqual([]);
    const noReader = validateTexts({ 'teams/crm.yaml': CRM });
    expect(noReader.diagnostics[0]?.message).toBe(
      'cannot read the salesforce status list crm/sf.csv: this command reads no files besides the manifests',
    );
  });

  it('reports bytes that are not UTF-8 at their line and column in the status list', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('status,description\nCLOSED,Ca'),
      0xff,
    ]);
    const result = run({ 'teams/crm.yaml': CRM }, { 'teams/crm/sf.csv': bytes });
    expect(result.diagnostics).toMatchObject([
      { code: 'crm.statusFileEncoding', file: 'teams/crm/sf.csv', line: 2, column: 10 },
    ]);
  });

  it('leaves codes of a mapping the schema rejected out of the desired state', () => {
    const crm = CRM.replace('code: SF_CLOSED', 'code: sf-closed');
    const result = run({ 'teams/crm.yaml': crm });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema.pattern']);
    expect(result.desired.wrapUpCodes).toEqual([]);
  });

  it('does not generate a competing code for an explicit declaration the schema rejected', () => {
    const explicit = `wrapUpCodes:\n${codeYaml('SF_CLOSED', { duration: 0 })}`;
    const result = run({ 'codes.yaml': explicit, 'teams/crm.yaml': CRM });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema.range']);
  });
});

describe('the manifest digest and CRM status lists', () => {
  const manifests = { 'teams/crm.yaml': CRM };

  it('changes when a status list changes, even where no code changes', () => {
    const base = run(manifests).digest;
    const renamed = run(manifests, { 'teams/crm/sf.csv': CSV.replace('Open case', 'Open') });
    const unmappedAdded = run(manifests, { 'teams/crm/sf.csv': `${CSV}PENDING,Pending\n` });
    expect(renamed.digest).not.toBe(base);
    expect(unmappedAdded.ok).toBe(true); // an unmapped status is a warning
    expect(desiredValues(unmappedAdded)).toEqual(desiredValues(run(manifests)));
    expect(unmappedAdded.digest).not.toBe(base);
  });

  it('does not change with the form of the CSV: line ends, quoting, extra columns, a BOM', () => {
    const base = run(manifests).digest;
    const reformatted =
      '\uFEFFowner,"description",status\r\nann,"Case closed",CLOSED\r\nbob,Open case,"OPEN"\r\n';
    expect(run(manifests, { 'teams/crm/sf.csv': reformatted }).digest).toBe(base);
  });

  it('is defined as before for manifests without CRM mappings', () => {
    const result = validateTexts({ 'codes.yaml': `wrapUpCodes:\n${codeYaml('AA_1')}` });
    expect(result.digest).toBe(manifestDigest({ ...desiredValues(result), scope: null }));
  });
});
