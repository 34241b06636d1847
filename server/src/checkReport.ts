/**
 * `entente check` output: diagnostics as text (`file:line:col: severity code message`), JSON,
 * GitHub Actions annotations or SARIF 2.1.0. Pure: diagnostics in, a string out.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { VERSION } from './version';

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
      return [...findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`), summary(findings, checkedFiles)].join('\n');
  }
}

export function summary(findings: readonly Finding[], checkedFiles: number): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  const notes = count('information') + count('hint');
  if (notes) parts.push(plural(notes, 'note'));
  return `${parts.join(', ')} in ${plural(checkedFiles, 'file')} checked`;
}

/** `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=code::message` */
function github(f: Finding): string {
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const prop = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::${level} file=${prop(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${prop(f.code)}::${data(f.message)}`;
}

function sarif(findings: readonly Finding[]) {
  const rules = [...new Set(findings.map((f) => f.code))].sort().map((id) => ({ id, shortDescription: { text: id } }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'entente', version: VERSION, informationUri: 'https://example.invalid/entente', rules } },
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
