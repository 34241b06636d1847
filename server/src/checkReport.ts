/**
 * `entente check` output: diagnostics as text (`file:line:col: severity code message`), JSON,
 * GitHub Actions annotations or SARIF 2.1.0 (its rules described from `service/diagnosticCodes.ts`; no
 * `informationUri`, as Entente has no public home page). Pure: diagnostics in, a string out.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { VERSION } from './version';
import { diagnosticCodeInfo } from './service/diagnosticCodes';

export type ReportFormat = 'text' | 'json' | 'github' | 'sarif';
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  /** Path relative to the current folder. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

const severities: Severity[] = ['error', 'warning', 'information', 'hint'];

export function severityName(d: Diagnostic): Severity {
  return severities[(d.severity ?? 1) - 1] ?? 'error';
}

/** Is `s` at or above `threshold` (`error` > `warning` > `information` > `hint`)? */
export function atLeast(s: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && severities.indexOf(s) <= severities.indexOf(threshold);
}

export function toFinding(file: string, d: Diagnostic): Finding {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: severityName(d),
    code: String(d.code ?? ''),
    message: typeof d.message === 'string' ? d.message : d.message.value,
  };
}

export function report(findings: readonly Finding[], format: ReportFormat, checkedFiles: number): string {
  switch (format) {
    case 'json':
      return JSON.stringify(findings, null, 2);
    case 'github':
      return findings.map(github).join('\n');
    case 'sarif':
      return JSON.stringify(sarif(findings), null, 2);
    default:
      return [...findings.map(textLine), summary(findings, checkedFiles)].join('\n');
  }
}

/** `paper.md:95:36: error citation.undefined No bibliography entry for 'x'.` (positions 1-based). */
export function textLine(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`;
}

export function summary(findings: readonly Finding[], checkedFiles: number): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  const notes = count('information') + count('hint');
  if (notes) parts.push(plural(notes, 'note'));
  return `${parts.join(', ')} in ${plural(checkedFiles, 'file')} checked`;
}

/** `1 entry`, `2 entries`: a count with its noun. */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=code::message` */
function github(f: Finding): string {
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const prop = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::${level} file=${prop(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${prop(f.code)}::${data(f.message)}`;
}

function sarif(findings: readonly Finding[]) {
  const rules = [...new Set(findings.map((f) => f.code))].sort().map(sarifRule);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'entente', version: VERSION, rules } },
        results: findings.map((f) => ({
          ruleId: f.code,
          level: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('/').map(encodeURIComponent).join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** A SARIF `reportingDescriptor`: the code's description and help from the one table of codes. */
function sarifRule(id: string) {
  const info = diagnosticCodeInfo(id);
  if (!info) return { id, shortDescription: { text: id } };
  return { id, shortDescription: { text: info.description }, fullDescription: { text: `${info.description} ${info.help}` }, help: { text: info.help } };
}
