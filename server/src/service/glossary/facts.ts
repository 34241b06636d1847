/**
 * Dated facts about a few built-in terms, for `glossary.fact`: the years a founding may be given as, and the
 * history of the number of members. Only facts that are stable, unambiguous and sourced are here: a term
 * whose founding is told in two ways (the CSTO: treaty 1992, organisation 2002) or whose membership is in
 * dispute is left out, and so never checked. Dates are ISO; a count holds from its date until the next.
 */

export interface MemberCount {
  since: string;
  count: number;
  /** What changed then, as a sentence's end: "Sweden joined on 7 March 2024". */
  event: string;
}

export interface TermFacts {
  /** The built-in term's id. */
  id: string;
  /** The years its founding may be given as, and how to say when it was. */
  founded?: { years: number[]; said: string };
  members?: MemberCount[];
  /** Where the dates come from. */
  source: string;
}

export const termFacts: readonly TermFacts[] = [
  {
    id: 'nato',
    founded: { years: [1949], said: 'was founded by the North Atlantic Treaty, signed on 4 April 1949' },
    members: [
      { since: '1949-04-04', count: 12, event: 'twelve states signed the North Atlantic Treaty on 4 April 1949' },
      { since: '1952-02-18', count: 14, event: 'Greece and Türkiye joined on 18 February 1952' },
      { since: '1955-05-06', count: 15, event: 'West Germany joined on 6 May 1955' },
      { since: '1982-05-30', count: 16, event: 'Spain joined on 30 May 1982' },
      { since: '1999-03-12', count: 19, event: 'Czechia, Hungary and Poland joined on 12 March 1999' },
      { since: '2004-03-29', count: 26, event: 'seven states joined on 29 March 2004' },
      { since: '2009-04-01', count: 28, event: 'Albania and Croatia joined on 1 April 2009' },
      { since: '2017-06-05', count: 29, event: 'Montenegro joined on 5 June 2017' },
      { since: '2020-03-27', count: 30, event: 'North Macedonia joined on 27 March 2020' },
      { since: '2023-04-04', count: 31, event: 'Finland joined on 4 April 2023' },
      { since: '2024-03-07', count: 32, event: 'Sweden joined on 7 March 2024' },
    ],
    source: 'NATO, "Enlargement and Article 10", https://www.nato.int/cps/en/natohq/topics_49212.htm',
  },
  {
    id: 'european-union',
    founded: { years: [1992, 1993], said: 'was founded by the Maastricht Treaty, signed on 7 February 1992 and in force since 1 November 1993' },
    members: [
      { since: '1993-11-01', count: 12, event: 'the Maastricht Treaty entered into force on 1 November 1993' },
      { since: '1995-01-01', count: 15, event: 'Austria, Finland and Sweden joined on 1 January 1995' },
      { since: '2004-05-01', count: 25, event: 'ten states joined on 1 May 2004' },
      { since: '2007-01-01', count: 27, event: 'Bulgaria and Romania joined on 1 January 2007' },
      { since: '2013-07-01', count: 28, event: 'Croatia joined on 1 July 2013' },
      { since: '2020-02-01', count: 27, event: 'the United Kingdom left on 31 January 2020' },
    ],
    source: 'European Union, "EU countries", https://european-union.europa.eu/principles-countries-history/eu-countries_en',
  },
  {
    id: 'sco',
    founded: { years: [2001], said: 'was founded on 15 June 2001 in Shanghai (its forerunner, the Shanghai Five, in 1996)' },
    members: [
      { since: '2001-06-15', count: 6, event: 'six states founded it on 15 June 2001' },
      { since: '2017-06-09', count: 8, event: 'India and Pakistan joined on 9 June 2017' },
      { since: '2023-07-04', count: 9, event: 'Iran joined on 4 July 2023' },
      { since: '2024-07-04', count: 10, event: 'Belarus joined on 4 July 2024' },
    ],
    source: 'Shanghai Cooperation Organisation, Astana Declaration of the Council of Heads of State, 4 July 2024',
  },
  {
    id: 'anzus',
    founded: { years: [1951], said: 'was signed in San Francisco on 1 September 1951' },
    source: 'Security Treaty between Australia, New Zealand and the United States of America, Australian Treaty Series 1952 No. 2',
  },
  {
    id: 'warsaw-pact',
    founded: { years: [1955], said: 'was signed in Warsaw on 14 May 1955' },
    source: 'Treaty of Friendship, Co-operation and Mutual Assistance, Warsaw, 14 May 1955, UNTS vol. 219',
  },
  {
    id: 'asean',
    founded: { years: [1967], said: 'was founded by the Bangkok Declaration of 8 August 1967' },
    source: 'The ASEAN Declaration (Bangkok Declaration), 8 August 1967, https://asean.org/the-founding-of-asean/',
  },
  {
    id: 'aukus',
    founded: { years: [2021], said: 'was announced on 15 September 2021' },
    source: 'Joint Leaders Statement on AUKUS, 15 September 2021',
  },
];

/** The member counts a term had at any time during `year`. */
export function countsDuring(members: readonly MemberCount[], year: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < members.length; i++) {
    const from = Number(members[i].since.slice(0, 4));
    const until = i + 1 < members.length ? Number(members[i + 1].since.slice(0, 4)) : Infinity;
    if (from <= year && year <= until) out.add(members[i].count);
  }
  return out;
}

/** The count that holds on an ISO date, and since when (undefined before the first). */
export function countOn(members: readonly MemberCount[], date: string): MemberCount | undefined {
  let found: MemberCount | undefined;
  for (const m of members) if (m.since <= date) found = m;
  return found;
}
