import type { ValidateReport } from '../manifest/report.js';
import { redact } from '../secrets.js';
import type { TextSink } from '../util/log.js';
import { diagnosticJson } from './diagnostics.js';

/** Version of the `cxctl validate --format json` document (docs/manifests.md describes it). */
export const VALIDATE_JSON_VERSION = 1;

/**
 * `cxctl validate --format json`: one JSON document, members in a fixed order,
 * `{formatVersion, ok, summary, digest, diagnostics: [{severity, code, message, file, line, column,
 * hint?}]}`.
 */
export function renderValidateJson(report: ValidateReport, out: TextSink): void {
  const document = {
    formatVersion: VALIDATE_JSON_VERSION,
    ok: report.ok,
    summary: report.summary,
    digest: report.digest,
    diagnostics: report.diagnostics.map(diagnosticJson),
  };
  out.write(redact(JSON.stringify(document, null, 2)) + '\n');
}
