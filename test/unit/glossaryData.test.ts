/**
 * Data tests for the built-in alliance glossary
 * (server/src/service/glossary/builtin.yaml) and its JSON Schema
 * (server/src/service/glossary/glossary.schema.json).
 *
 * Paths are resolved from the project root (the nearest folder above this file
 * that holds package.json), so the compiled test works from out/ or out-*.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

interface Source {
  title: string;
  author?: string;
  publisher?: string;
  date?: string | number;
  year?: string | number;
  url?: string;
  citation?: string;
  type?: 'primary' | 'secondary';
}

interface Term {
  id: string;
  short: string;
  forms: string[];
  expansion: string;
  definition: string;
  kind: string;
  founded?: string;
  dissolved?: string;
  members?: string[];
  related?: string[];
  sources: Source[];
}

interface Glossary {
  version: number;
  terms: Term[];
}

function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
}

const ROOT = projectRoot();
const GLOSSARY_DIR = path.join(ROOT, 'server', 'src', 'service', 'glossary');
const YAML_PATH = path.join(GLOSSARY_DIR, 'builtin.yaml');
const SCHEMA_PATH = path.join(GLOSSARY_DIR, 'glossary.schema.json');

/**
 * Comparison key of a form. Dashes, apostrophes and spaces are normalised;
 * forms with a space (multi-word names) compare case-insensitively, single
 * tokens (acronyms such as `NFM`, `eFP`, `PeSCo`) case-sensitively.
 */
function formKey(form: string): string {
  const s = form
    .normalize('NFC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return /\s/.test(s) ? `ci:${s.toLowerCase()}` : `cs:${s}`;
}

/** Every surface form of a term: short, forms and expansion (deduplicated). */
function surfaceKeys(term: Term): Set<string> {
  return new Set([term.short, ...(term.forms ?? []), term.expansion].filter(Boolean).map(formKey));
}

const ISO = /^(\d{4})(?:-(\d{2})-(\d{2}))?$/;

/** True for "YYYY" or a real calendar date "YYYY-MM-DD". */
function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = ISO.exec(value);
  if (!m) return false;
  if (m[2] === undefined) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Sentences in a definition; a capital initial before a full stop (D. Eisenhower, U.S.) is not an end. */
function sentenceCount(text: string): number {
  return text.split(/(?<![A-Z])[.!?](?=\s+["“(]?[A-Z0-9])/).filter((s) => s.trim().length > 0).length;
}

function hasCitationDetail(s: Source): boolean {
  if (s.url) return true;
  if (s.citation) return true;
  return Boolean((s.publisher || s.author) && (s.date !== undefined || s.year !== undefined));
}

/**
 * Terms that must be present, by id: the terms the brief names, and every
 * alliance, organisation, programme, treaty and concept named in the three
 * seed texts (NFM paper, defence-cooperation panel, alliances article).
 */
const REQUIRED_IDS: readonly string[] = [
  // NATO core
  'nato', 'washington-treaty', 'article-3', 'article-4', 'article-5', 'article-10', 'north-atlantic-council',
  'new-force-model', 'nato-response-force', 'vjtf', 'allied-reaction-force', 'enhanced-forward-presence',
  'readiness-action-plan', 'defence-investment-pledge', 'strategic-concept-2022', 'madrid-summit-2022',
  'wales-summit-2014', 'vilnius-summit-2023', 'washington-summit-2024', 'washington-summit-1999', 'nato-2030',
  'saceur', 'shape', 'allied-command-transformation', 'sact', 'allied-command-operations',
  'nato-command-structure', 'nato-force-structure', 'jfc-brunssum', 'jfc-naples', 'jfc-norfolk', 'afnorth',
  'nato-defence-planning-process', 'combined-joint-task-forces', 'host-nation-support', 'sofa', 'nato-sofa',
  // NATO partnerships
  'partnership-for-peace', 'pfp-consortium', 'deep', 'membership-action-plan', 'eapc', 'istanbul-cooperation-initiative',
  'mediterranean-dialogue', 'individual-partnership-action-plan', 'enhanced-opportunities-partners',
  'defence-capacity-building', 'nato-russia-council', 'nato-russia-founding-act', 'berlin-plus', 'building-integrity',
  'nato-partner', 'nato-defense-college', 'open-door-policy', 'cyber-defence',
  // EU
  'european-union', 'csdp', 'pesco', 'article-42-7-teu', 'lisbon-treaty', 'european-defence-agency',
  'european-defence-fund', 'strategic-compass', 'rapid-deployment-capacity', 'eu-battlegroups', 'brussels-treaty', 'weu',
  // minilaterals and bilaterals
  'treaty-of-aachen', 'franco-greek-agreement', 'joint-expeditionary-force', 'nordefco', 'weimar-triangle',
  'bucharest-nine', 'visegrad-group', 'aukus', 'five-eyes', 'quad', 'anzus', 'us-japan-security-treaty',
  'us-rok-mutual-defense-treaty',
  // other regions and historical alliances
  'csto', 'collective-security-treaty', 'eaeu', 'sco', 'gcc', 'saarc', 'asean', 'aha-centre', 'shangri-la-dialogue',
  'african-union', 'apsa', 'african-standby-force', 'ecowas', 'ecomog', 'arab-league', 'arab-league-joint-defence-treaty',
  'osce', 'warsaw-pact', 'seato', 'cento', 'rio-treaty', 'league-of-nations', 'crink',
  // concepts
  'collective-defence', 'collective-security', 'cooperative-security', 'crisis-management', 'deterrence',
  'deterrence-by-denial', 'deterrence-by-punishment', 'burden-sharing', 'interoperability', 'reassurance',
  'abandonment', 'entrapment', 'balancing', 'shelter-theory', 'minilateralism', 'non-alignment', 'security-guarantee',
  'mutual-defence-clause', 'security-cooperation', 'security-assistance', 'defence-cooperation', 'stability-operations',
  'hybrid-threats', 'gray-zone', 'network-centric-warfare', 'hadr', 'counter-terrorism', 'peacekeeping',
  'out-of-area', 'professional-military-education', 'military-alliance',
  // issue 13: arms control, NATO missions and summits, EU bodies and instruments, formats, seed-document terms
  'npt', 'new-start', 'inf-treaty', 'open-skies', 'budapest-memorandum', 'nuclear-planning-group', 'flexible-response',
  'a2ad', 'iamd', 'nspa', 'nato-innovation-fund', 'resolute-support', 'nsatu', 'baltic-air-policing', 'baltic-sentry',
  'eastern-sentry', 'lisbon-summit-2010', 'brussels-summit-2018', 'brussels-summit-2021', 'riga-summit-2006',
  'istanbul-summit-2004', 'political-and-security-committee', 'eu-military-committee', 'eu-military-staff', 'hr-vp',
  'eeas', 'mpcc', 'military-mobility', 'safe-instrument', 'rearm-europe', 'edis', 'edip', 'eufor-althea',
  'operation-atalanta', 'operation-aspides', 'ukraine-defense-contact-group', 'european-sky-shield-initiative', 'nb8',
  'brics', 'european-deterrence-initiative', 'camp-david-summit-2023', 'hq', 'euro-atlantic', 'military-readiness',
  'emerging-disruptive-technologies', 'cee', 'uav', 'great-power-competition', 'small-states', 'maritime-security',
  'non-traditional-security', 'strategic-partnership', 'itpp', 'resilience-commitment', 'headline-goal-2010', 'pleven-plan',
  'pfp-sofa', 'security-force-assistance',
];

/** Surface forms a hover must resolve, and the term they must resolve to. */
const REQUIRED_FORMS: Readonly<Record<string, string>> = {
  NFM: 'new-force-model',
  'New Force Model': 'new-force-model',
  'Article 5': 'article-5',
  'Art. 5': 'article-5',
  'Article V': 'article-5',
  'Article 5 of the Washington Treaty': 'article-5',
  'Article 4': 'article-4',
  'North Atlantic Treaty': 'washington-treaty',
  NRF: 'nato-response-force',
  PfP: 'partnership-for-peace',
  DEEP: 'deep',
  'Defence Education Enhancement Programme': 'deep',
  SACEUR: 'saceur',
  SACT: 'sact',
  ACT: 'allied-command-transformation',
  eFP: 'enhanced-forward-presence',
  VJTF: 'vjtf',
  '2% pledge': 'defence-investment-pledge',
  MAP: 'membership-action-plan',
  EAPC: 'eapc',
  ICI: 'istanbul-cooperation-initiative',
  'Five Eyes': 'five-eyes',
  Quad: 'quad',
  JEF: 'joint-expeditionary-force',
  'Article 42(7) TEU': 'article-42-7-teu',
  PESCO: 'pesco',
  'Permanent Structured Cooperation': 'pesco',
  'permanent structured cooperation': 'pesco',
  CSDP: 'csdp',
  ANZUS: 'anzus',
  CSTO: 'csto',
  GCC: 'gcc',
  SCO: 'sco',
  SAARC: 'saarc',
  ASEAN: 'asean',
  'African Union': 'african-union',
  AUKUS: 'aukus',
  'Treaty of Aachen': 'treaty-of-aachen',
  'Madrid Strategic Concept': 'strategic-concept-2022',
  'NATO 2030': 'nato-2030',
  'collective defense': 'collective-defence',
  'deterrence by denial': 'deterrence-by-denial',
  'deterrence by punishment': 'deterrence-by-punishment',
  'burden-sharing': 'burden-sharing',
  'Gulf Cooperation Council': 'gcc',
  'Collective Security Treaty Organization': 'csto',
  'ASEAN Coordinating Centre': 'aha-centre',
  'hybrid warfare': 'hybrid-threats',
  'gray zone': 'gray-zone',
  'soft balancing': 'balancing',
  'shelter-seeking': 'shelter-theory',
  'security assistance': 'security-assistance',
  'military diplomacy': 'defence-diplomacy',
  'partner engagement': 'nato-partner',
};

/** Facts a reviewer checks first. */
const FOUNDED: Readonly<Record<string, string>> = {
  nato: '1949-04-04',
  'washington-treaty': '1949-04-04',
  anzus: '1951-09-01',
  'collective-security-treaty': '1992-05-15',
  csto: '2002-10-07',
  sco: '2001-06-15',
  gcc: '1981-05-25',
  asean: '1967-08-08',
  saarc: '1985-12-08',
  'african-union': '2002-07-09',
  'partnership-for-peace': '1994-01-10',
  pesco: '2017-12-11',
  aukus: '2021-09-15',
  'treaty-of-aachen': '2019-01-22',
  'new-force-model': '2022-06-29',
  'strategic-concept-2022': '2022-06-29',
  'wales-summit-2014': '2014-09-04',
  'warsaw-pact': '1955-05-14',
  'lisbon-treaty': '2007-12-13',
  npt: '1968-07-01',
  'new-start': '2010-04-08',
  'inf-treaty': '1987-12-08',
  'open-skies': '1992-03-24',
  'budapest-memorandum': '1994-12-05',
  'safe-instrument': '2025-05-27',
  'eastern-sentry': '2025-09-12',
  'camp-david-summit-2023': '2023-08-18',
};

const NATO_MEMBERS_2024 = [
  'Albania', 'Belgium', 'Bulgaria', 'Canada', 'Croatia', 'Czechia', 'Denmark', 'Estonia', 'Finland', 'France',
  'Germany', 'Greece', 'Hungary', 'Iceland', 'Italy', 'Latvia', 'Lithuania', 'Luxembourg', 'Montenegro',
  'Netherlands', 'North Macedonia', 'Norway', 'Poland', 'Portugal', 'Romania', 'Slovakia', 'Slovenia', 'Spain',
  'Sweden', 'Türkiye', 'United Kingdom', 'United States',
];

describe('glossary data: built-in glossary and schema', () => {
  let glossary: Glossary;
  let terms: Term[];
  let byId: Map<string, Term>;
  let schema: { $id: string };
  let validateProject: ValidateFunction;
  let validateBuiltin: ValidateFunction;

  before(() => {
    glossary = parse(fs.readFileSync(YAML_PATH, 'utf8')) as Glossary;
    terms = glossary.terms;
    byId = new Map(terms.map((t) => [t.id, t]));
    schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));
    const ajv = new Ajv({ allErrors: true }); // default strict mode (strictSchema), as the server will use it
    ajv.addSchema(schema);
    const project = ajv.getSchema(schema.$id);
    const builtin = ajv.getSchema(`${schema.$id}#/definitions/builtinGlossary`);
    assert.ok(project && builtin, 'schema and #/definitions/builtinGlossary compile');
    validateProject = project;
    validateBuiltin = builtin;
  });

  const errors = (v: ValidateFunction) => JSON.stringify(v.errors?.slice(0, 5), null, 1);

  it('the built-in glossary validates against the built-in schema', () => {
    assert.ok(validateBuiltin(glossary), errors(validateBuiltin));
  });

  it('the built-in glossary also validates as a project glossary', () => {
    assert.ok(validateProject(glossary), errors(validateProject));
  });

  it('project glossaries may omit fields that built-in terms must have', () => {
    const minimal = { terms: [{ short: 'JSEC', definition: 'Joint Support and Enabling Command, Ulm.' }] };
    assert.ok(validateProject(minimal), errors(validateProject));
    assert.equal(validateBuiltin(minimal), false, 'a minimal project file is not a valid built-in file');
    const withYear = { terms: [{ short: 'X', expansion: 'Example pact', founded: 1999, sources: [{ title: 'T' }] }] };
    assert.ok(validateProject({ terms: [{ short: 'HQ', expansion: 'Headquarters', commonAbbreviation: true }] }), errors(validateProject));
    assert.ok(validateProject(withYear), errors(validateProject));
  });

  it('the schema rejects malformed project glossaries', () => {
    const bad: unknown[] = [
      {},
      { terms: [{ definition: 'no short form' }] },
      { terms: [{ short: 'X' }] },
      { terms: [{ short: 'X', definition: 'd', kind: 'club' }] },
      { terms: [{ short: 'X', definition: 'd', id: 'Not Kebab' }] },
      { terms: [{ short: 'X', definition: 'd', founded: '04/04/1949' }] },
      { terms: [{ short: 'X', definition: 'd', founded: '1949-13-01' }] },
      { terms: [{ short: 'X', definition: 'd', sources: [{ url: 'https://example.org' }] }] },
      { terms: [{ short: 'X', definition: 'd', sources: [{ title: 'T', url: 'not a url' }] }] },
      { terms: [{ short: 'X', definition: 'd', shrot: 'typo' }] },
      { terms: [{ short: 'X', definition: 'd', forms: ['A', 'A'] }] },
      { terms: [{ short: 'X', definition: 'd', commonAbbreviation: 'yes' }] },
    ];
    for (const doc of bad) assert.equal(validateProject(doc), false, `accepted ${JSON.stringify(doc)}`);
  });

  it('has at least 300 terms', () => {
    assert.ok(terms.length >= 300, `only ${terms.length} terms`);
  });

  it('ids are unique', () => {
    const seen = new Set<string>();
    for (const t of terms) {
      assert.ok(!seen.has(t.id), `duplicate id ${t.id}`);
      seen.add(t.id);
    }
  });

  it('forms are unique across terms (acronyms case-sensitive, multi-word forms case-insensitive), but for forms of two senses', () => {
    // A form that names two things on purpose: the document's evidence picks one, or neither (glossarySenses.test.ts).
    const twoSenses = new Set(['ARF: allied-reaction-force / asean-regional-forum']);
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const t of terms) {
      for (const key of surfaceKeys(t)) {
        const other = owner.get(key);
        const clash = `${key.slice(3)}: ${other} / ${t.id}`;
        if (other !== undefined && other !== t.id && !twoSenses.has(clash)) clashes.push(clash);
        else owner.set(key, t.id);
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('forms do not repeat the short form, and are trimmed', () => {
    for (const t of terms) {
      for (const f of [t.short, ...t.forms, t.expansion]) {
        assert.equal(f, f.trim(), `${t.id}: untrimmed form "${f}"`);
        assert.ok(!/\s{2,}/.test(f), `${t.id}: double space in "${f}"`);
      }
      assert.ok(!t.forms.includes(t.short), `${t.id}: forms repeat the short form`);
    }
  });

  it('every term has a source with a title and a URL or citation detail, and a primary source', () => {
    for (const t of terms) {
      assert.ok(t.sources.length > 0, `${t.id}: no sources`);
      assert.ok(
        t.sources.some((s) => typeof s.title === 'string' && s.title.trim() !== '' && hasCitationDetail(s)),
        `${t.id}: no source with title and url/citation detail`,
      );
      for (const s of t.sources) assert.ok(hasCitationDetail(s), `${t.id}: source "${s.title}" cannot be found`);
      assert.ok(t.sources.some((s) => s.type !== 'secondary'), `${t.id}: no primary source`);
    }
  });

  it('source URLs are absolute http(s) URLs', () => {
    for (const t of terms) {
      for (const s of t.sources) {
        if (s.url === undefined) continue;
        const u = new URL(s.url);
        assert.ok(u.protocol === 'https:' || u.protocol === 'http:', `${t.id}: ${s.url}`);
      }
    }
  });

  it('every related id exists (and is not the term itself)', () => {
    for (const t of terms) {
      for (const r of t.related ?? []) {
        assert.ok(byId.has(r), `${t.id}: related id ${r} does not exist`);
        assert.notEqual(r, t.id, `${t.id} relates to itself`);
      }
    }
  });

  it('dates are ISO (YYYY or YYYY-MM-DD), real, and in order', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const t of terms) {
      for (const field of ['founded', 'dissolved'] as const) {
        const v = t[field];
        if (v === undefined) continue;
        assert.ok(isIsoDate(v), `${t.id}.${field}: ${String(v)} is not an ISO date`);
        assert.ok(v <= today, `${t.id}.${field}: ${v} is in the future`);
      }
      if (t.founded && t.dissolved) assert.ok(t.founded <= t.dissolved, `${t.id}: dissolved before founded`);
      for (const s of t.sources) {
        for (const field of ['date', 'year'] as const) {
          const v = s[field];
          if (v === undefined) continue;
          assert.ok(isIsoDate(v), `${t.id}: source "${s.title}" ${field} ${String(v)} is not an ISO date`);
        }
      }
    }
  });

  it('definitions are one to three sentences of plain text', () => {
    for (const t of terms) {
      const d = t.definition;
      assert.ok(/[.)]$/.test(d), `${t.id}: definition does not end with a full stop`);
      assert.ok(!d.includes('\n'), `${t.id}: definition has a line break`);
      const n = sentenceCount(d);
      assert.ok(n >= 1 && n <= 3, `${t.id}: definition has ${n} sentences`);
    }
  });

  it('contains every required term', () => {
    const missing = REQUIRED_IDS.filter((id) => !byId.has(id));
    assert.deepEqual(missing, []);
  });

  it('required surface forms resolve to the right term', () => {
    const index = new Map<string, string>();
    for (const t of terms) for (const k of surfaceKeys(t)) index.set(k, t.id);
    for (const [form, id] of Object.entries(REQUIRED_FORMS)) {
      assert.equal(index.get(formKey(form)), id, `"${form}" should resolve to ${id}`);
    }
  });

  it('key founding dates are right', () => {
    for (const [id, date] of Object.entries(FOUNDED)) assert.equal(byId.get(id)?.founded, date, id);
  });

  it('membership lists are current', () => {
    const nato = byId.get('nato')!;
    assert.deepEqual([...nato.members!].sort(), [...NATO_MEMBERS_2024].sort());
    assert.equal(byId.get('european-union')!.members!.length, 27);
    const pesco = byId.get('pesco')!.members!;
    assert.equal(pesco.length, 26);
    assert.ok(pesco.includes('Denmark') && !pesco.includes('Malta'));
    const sco = byId.get('sco')!.members!;
    assert.ok(sco.includes('Iran') && sco.includes('Belarus') && sco.length === 10);
    assert.ok(byId.get('csto')!.members!.includes('Armenia'), 'Armenia froze but did not leave the CSTO');
    assert.equal(byId.get('gcc')!.members!.length, 6);
    assert.equal(byId.get('saarc')!.members!.length, 8);
    assert.deepEqual([...byId.get('anzus')!.members!].sort(), ['Australia', 'New Zealand', 'United States']);
  });

  it('corrected entries stay corrected (issue 13)', () => {
    const forms = (id: string) => surfaceKeys(byId.get(id)!);
    assert.ok(!forms('nato-sofa').has(formKey('PfP SOFA')), 'the PfP SOFA is a separate 1995 agreement');
    assert.ok(!forms('helsinki-headline-goal').has(formKey('Headline Goal 2010')), 'Headline Goal 2010 is its own term');
    assert.ok(!forms('article-3').has(formKey('Commitment to Enhance Resilience')), 'the 2016 commitment is its own term');
    assert.ok(!forms('warsaw-pact').has(formKey('Warsaw Treaty')), '"Warsaw Treaty" also names the 1970 FRG–Poland treaty');
    assert.ok(!forms('european-defence-community').has(formKey('Pleven Plan')), 'the Pleven Plan (1950) is its own term');
    assert.ok(!forms('security-assistance').has(formKey('SFA')), 'security force assistance is distinct in JP 3-20');
    assert.match(byId.get('european-defence-agency')!.definition, /2015\/1835/);
    assert.match(byId.get('article-4')!.definition, /Poland and Estonia in September 2025/);
    assert.match(byId.get('enhanced-opportunities-partners')!.definition, /Finland and Sweden left/);
    assert.match(byId.get('individual-partnership-action-plan')!.definition, /ITPPs/);
    assert.doesNotMatch(byId.get('rapid-deployment-capacity')!.definition, /to be fully operational/);
    assert.equal(byId.get('new-start')!.dissolved, '2026-02-05');
    const act = byId.get('nato-russia-founding-act')!.sources.map((s) => s.url);
    assert.ok(act.includes('https://www.nato.int/cps/en/natohq/official_texts_25468.htm'), 'the Founding Act itself, not the explanatory note');
  });

  it('the NATO Command Structure and the NATO Force Model cite NATO primary texts with a URL', () => {
    for (const id of ['nato-command-structure', 'new-force-model']) {
      const own = byId.get(id)!.sources.filter((s) => s.type !== 'secondary' && s.url?.startsWith('https://www.nato.int/'));
      assert.ok(own.length > 0, id);
    }
  });

  it('scholarship about a term is marked secondary (a work that coined the term is its primary source)', () => {
    const coined = new Set([
      'deterrence', 'deterrence-by-denial', 'deterrence-by-punishment', 'extended-deterrence', 'tripwire',
      'bandwagoning', 'balancing', 'hedging', 'shelter-theory', 'minilateralism', 'network-centric-warfare', 'crink',
      'burden-sharing', 'free-riding', 'abandonment', 'entrapment', 'gray-zone', 'hub-and-spoke',
      'second-strike-capability', 'compellence', 'small-states', 'security-dilemma', 'chain-ganging', 'security-community',
      'regional-security-complex', 'securitization', 'containment', 'massive-retaliation', 'mutual-assured-destruction',
    ]);
    const statesmen = /Dulles|Truman|McNamara/;
    for (const t of terms) {
      if (coined.has(t.id)) continue;
      for (const s of t.sources) {
        if (s.author && !statesmen.test(s.author)) assert.equal(s.type, 'secondary', `${t.id}: "${s.title}" by ${s.author}`);
      }
    }
  });

  it('every term kind is one of the schema kinds', () => {
    const kinds = (schema as unknown as { definitions: { kind: { enum: string[] } } }).definitions.kind.enum;
    for (const t of terms) assert.ok(kinds.includes(t.kind), `${t.id}: kind ${t.kind}`);
  });
});
