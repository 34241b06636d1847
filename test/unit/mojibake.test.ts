/**
 * Mangled text (issue 16, part 1): `text.mojibake` finds each damaged run with the code page that made it
 * and repairs it, and never flags correct text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findMojibake, mojibakeMessage, repairMojibake } from '../../server/src/service/mojibake';
import { serviceFor } from './memoryWorkspace';
import { applyEdits } from './fixture';
import { projectRoot } from '../paths';

/**
 * Sentences of the conference panel's abstracts among this project's seed documents, as they were pasted:
 * UTF-8 read as Windows-874 (Thai), each ’ “ ” — become "โ" and the two bytes after it lost.
 */
const panel =
  'Small states face traditional security threats (Russiaโs military assertiveness or Chinaโs rise, etc.), and cooperate in bi-, tri-, or โminilateralโ ways. ' +
  'Powerful patrons use โsticksโ (e.g., threats of abandonment) and โcarrotsโ (e.g., reassurance). ' +
  'As the war in Ukraine approaches its third year, the EUโs efforts in defence cooperation have intensifiedโbut have they been effective? ' +
  'The article pays particular attention to โbuilding integrityโ, which has emerged as a new concept in the field, from 1990โ2000 onwards.';
const panelRepaired =
  'Small states face traditional security threats (Russia’s military assertiveness or China’s rise, etc.), and cooperate in bi-, tri-, or “minilateral” ways. ' +
  'Powerful patrons use “sticks” (e.g., threats of abandonment) and “carrots” (e.g., reassurance). ' +
  'As the war in Ukraine approaches its third year, the EU’s efforts in defence cooperation have intensified—but have they been effective? ' +
  'The article pays particular attention to “building integrity”, which has emerged as a new concept in the field, from 1990–2000 onwards.';

/** Correct text in the languages this field quotes, with the characters next to which mangling would be read. */
const correct = [
  'Le ministre a déclaré : « La défense européenne n’est pas une option » — l’OTAN reste « LE CAFÉ » de l’Alliance. Où ? À Bruxelles, en été.',
  'Die Bundeswehr übernimmt die Führung; „Zeitenwende“ heißt: Verteidigungsfähigkeit. ÖVP–SPÖ, Äußerung, Größe, Straße.',
  'Bezpieczeństwo państwa: Łódź, Gdańsk, Kraków, źródło, żołnierz, „Tarcza Wschód” — ćwiczenia Anakonda-23.',
  'Türkiye’nin NATO’ya katılımı (1952): İstanbul, Ankara, güvenlik, çıkar, şüphe, ölçü, ağırlık.',
  'Президент России заявил, что «НАТО» — угроза; её союзники ещё ответят. ТОВАР» и Р» С– В» Сі.',
  'Україна: Сірий вовк, Київ, європейська безпека, їжак, ґанок, Євросоюз.',
  'ประเทศไทยเป็นสมาชิกอาเซียน โดยมีนโยบายต่างประเทศที่สมดุล โรงเรียนนายร้อย',
  'Η Ελλάδα είναι μέλος του ΝΑΤΟ από το 1952· «Αμυντική συνεργασία».',
  'Bezpečnost České republiky; Ústí nad Labem; ř, ů, ě — „NATO“.',
  'Securitatea României: București, Constanța, ș, ț, ă, î, â.',
  'Segurança: São Paulo, ação, coração, Portugal. Defensa: España, Cádiz, ¿por qué? ¡Sí!',
  '北大西洋公約機構（NATO）は1949年に設立された。日本の安全保障。한국의 안보.',
  'Café Müller’s “naïve” résumé — 5 × 3 = 15, 20 °C, 50 µm, ½ inch, © 2024, Ⅻ, ™, €200, ±3%, §5, ¶2.',
  'ÉTÉ’S CAFÉ» «É» Ðiðrik Þór Ægir Øresund Åland Ëlo Ïle.',
  // Seen in a real dissertation (tjmahr/dissertation): "×" and a no-break space, which read as UTF-8 are the Hebrew "נ".
  'Children saw a 2 ×\u00a02 grid; the age ×\u00a0condition interaction.',
];

describe('mangled text (text.mojibake)', () => {
  it('repairs the seed panel abstracts: “โ” with its lost bytes is ’ “ ” — or –, told by its neighbours', () => {
    assert.equal(repairMojibake(panel), panelRepaired);
    const runs = findMojibake(panel);
    assert.equal(runs.length, 13);
    assert.ok(runs.every((r) => r.cause === 'windows-874'));
    assert.equal(mojibakeMessage(runs[0], panel), 'Mangled text “Russiaโs”: UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost; probably “Russia’s”.');
  });

  it('repairs UTF-8 read as Windows-1252 or Latin-1, also twice, and says so', () => {
    const cases: [string, string, string][] = [
      ['ZoltÃ¡n Ã¼ber KrakÃ³w', 'Zoltán über Kraków', 'UTF-8 read as Windows-1252'],
      ['childrenâ€™s â€œbooksâ€\ufffd â€” and more', 'children’s “books” — and more', 'UTF-8 read as Windows-1252'],
      ['GdaÅ\u0084sk', 'Gdańsk', 'UTF-8 read as Windows-1252'], // Latin-1 keeps the byte as a C1 control
      ['300Â\u00a0Â°C and 9.0Â\u00a0Ã—Â\u00a010', '300\u00a0°C and 9.0\u00a0×\u00a010', 'UTF-8 read as Windows-1252'], // a real Zotero export
      ['NATOÃ¢â‚¬â„¢s', 'NATO’s', 'UTF-8 read as Windows-1252, twice'],
    ];
    for (const [damaged, repaired, cause] of cases) {
      assert.equal(repairMojibake(damaged), repaired, damaged);
      const runs = findMojibake(damaged);
      assert.ok(runs.length > 0 && runs.every((r) => mojibakeMessage(r, damaged, runs).includes(`: ${cause};`)), `${damaged}: ${runs.map((r) => mojibakeMessage(r, damaged, runs))}`);
    }
    const nbsp = '500Â\u00a0nm';
    assert.equal(mojibakeMessage(findMojibake(nbsp)[0], nbsp), 'Mangled text “500Â⍽nm”: UTF-8 read as Windows-1252; probably “500⍽nm” (⍽: a no-break space).');
  });

  it('repairs Cyrillic read as Windows-1251 or KOI8-R, and stray C1 controls', () => {
    assert.equal(repairMojibake('РџСЂРёРІРµС‚, РјРёСЂ: РњРёРЅРёСЃС‚РµСЂСЃС‚РІРѕ РѕР±РѕСЂРѕРЅС‹'), 'Привет, мир: Министерство обороны');
    assert.equal(repairMojibake('п÷я─п╦п╡п╣я┌, п╪п╦я─'), 'Привет, мир');
    assert.deepEqual(findMojibake('п÷я─п╦п╡п╣я┌').map((r) => r.cause), ['koi8-r']);
    assert.equal(repairMojibake('don\u0092t \u0093quote\u0094'), 'don’t “quote”');
    assert.deepEqual(findMojibake('don\u0092t').map((r) => r.cause), ['c1']);
  });

  it('says less where the neighbours do not tell: an opening mark that nothing closes may have been a dash', () => {
    const text = 'To this end, the Greek government โin the context of its participation in the European Union as one of its oldest...';
    const [run] = findMojibake(text);
    assert.equal(run.repair, undefined);
    assert.equal(mojibakeMessage(run, text), 'Mangled text “โin”: UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost; what it stood for cannot be told.');
  });

  it('reports a run whose lost byte cannot be told, without a repair', () => {
    const text = 'Å\ufffdÃ³dÅº';
    const runs = findMojibake(text);
    assert.equal(runs[0].repair, undefined);
    assert.match(mojibakeMessage(runs[0], text, runs), /what it stood for cannot be told/);
    assert.equal(repairMojibake(text), 'Å\ufffdódź');
  });

  it('never flags correct text: French, German, Polish, Turkish, Russian, Ukrainian, Thai, Greek, Czech, Romanian, Iberian, CJK, symbols', () => {
    for (const text of correct) assert.deepEqual(findMojibake(text).map((r) => text.slice(r.start, r.end)), [], text);
  });

  it('finds in the real bibliographies of test/fixtures only their real mangled text (a Zotero export, Mendeley, a JabRef file)', () => {
    const found = new Map<string, string[]>();
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        if (fs.statSync(file).isDirectory()) walk(file);
        else if (/\.(bib|json|yaml|ris)$/.test(name)) {
          const text = fs.readFileSync(file, 'utf8');
          const runs = findMojibake(text);
          if (runs.length) found.set(path.relative(path.join(projectRoot, 'test/fixtures/real-bib'), file), runs.map((r) => `${text.slice(r.start, r.end)}→${r.repair}`));
        }
      }
    };
    walk(path.join(projectRoot, 'test/fixtures/real-bib'));
    const distinct = (file: string) => [...new Set(found.get(file))].sort();
    assert.deepEqual([...found.keys()].sort(), [
      'bbt-jabref-groups-97.bib',
      'bbt-mendeley-idiocy.bib',
      'tidy-tests/better-bibtex__Import_Jabref_fileDirectory_unexpected_reference_type_1058.bib',
      'tidy-tests/better-bibtex__Problem_when_importing_BibTeX_entries_with_percent_sign_95_or_preamble_96.bib',
    ]);
    assert.deepEqual(distinct('bbt-jabref-groups-97.bib'), ['Â\u00a0Â°→\u00a0°', 'Â\u00a0Ã—Â\u00a0→\u00a0×\u00a0', 'Â\u00a0→\u00a0', 'Â°→°', 'Â·→·']);
    assert.equal(found.get('bbt-jabref-groups-97.bib')!.length, 83);
    assert.deepEqual(distinct('bbt-mendeley-idiocy.bib'), ['â€”→—', 'â€™→’']);
    assert.deepEqual(distinct('tidy-tests/better-bibtex__Import_Jabref_fileDirectory_unexpected_reference_type_1058.bib'), ['Ã³→ó']);
  });

  it('is a warning with a quick fix in drafts and bibliographies, a repair of the whole file, and a setting', async () => {
    const bib = '@article{a, title = {NATOâ€™s â€œNew Force Modelâ€\ufffd}, journal = {Survival}, author = {ZoltÃ¡n, A.}, year = 2024}\n';
    const draft = `---\nbibliography: refs.bib\n---\n\nRussiaโs war [@a] and the EUโs answer.\n`;
    const { workspace, service } = serviceFor({ 'refs.bib': bib, 'paper.md': draft });
    const onDraft = (await service.getDiagnostics(workspace.openDoc('paper.md'))).filter((d) => d.code === 'text.mojibake');
    assert.deepEqual(onDraft.map((d) => d.message), [
      'Mangled text “Russiaโs”: UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost; probably “Russia’s”.',
      'Mangled text “EUโs”: UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost; probably “EU’s”.',
    ]);
    const bibDoc = workspace.openDoc('refs.bib');
    const onBib = (await service.getDiagnostics(bibDoc)).filter((d) => d.code === 'text.mojibake');
    assert.equal(onBib.length, 4);
    const actions = await service.getCodeActions(bibDoc, onBib);
    assert.deepEqual(actions.map((a) => a.title), ['Repair as “’”', 'Repair all mangled text in this file (4)', 'Repair as ““”', 'Repair as “””', 'Repair as “á”']);
    const all = actions.find((a) => a.title.startsWith('Repair all'))!;
    assert.equal(applyEdits(bib, all.edit!.changes![bibDoc.uri]), '@article{a, title = {NATO’s “New Force Model”}, journal = {Survival}, author = {Zoltán, A.}, year = 2024}\n');
    // A stale diagnostic (the text changed under it) offers nothing.
    const edited = workspace.openDoc('refs.bib', undefined, bib.replace('NATOâ€™s', 'NATO’s'));
    assert.deepEqual((await service.getCodeActions(edited, [onBib[0]])).map((a) => a.title), []);
    const off = serviceFor({ 'refs.bib': bib, 'paper.md': draft }, { mangledTextDiagnostics: false });
    assert.deepEqual((await off.service.getDiagnostics(off.workspace.openDoc('paper.md'))).filter((d) => d.code === 'text.mojibake'), []);
  });

  it('reads 10 MB of text with no mangling in well under a second', () => {
    const text = `${correct.join('\n')}\n`.repeat(Math.ceil(10_000_000 / correct.join('\n').length));
    const started = Date.now();
    assert.deepEqual(findMojibake(text), []);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  });
});
