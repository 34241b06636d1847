import * as assert from 'node:assert/strict';
import { FieldIndexBuilder, mergeFieldIndexes, Vocabulary, type FieldIndex } from '../../server/src/service/index/searchIndex';
import { addKeyWords, addWords, keyWords, wordBuffer, words, type WordSink } from '../../server/src/service/index/searchWords';

/** The distinct words the index splitter adds. */
class WordSet implements WordSink {
  readonly words = new Set<string>();

  add(word: string): void {
    this.words.add(word);
  }

  addCodes(from: number, to: number): void {
    const word = wordBuffer.string(from, to);
    // The code units the index compares are the word's own.
    assert.deepEqual([...wordBuffer.codes.subarray(from, to)], Array.from({ length: word.length }, (_, i) => word.charCodeAt(i)));
    this.words.add(word);
  }
}

const indexed = (text: string, key: boolean) => {
  const sink = new WordSet();
  (key ? addKeyWords : addWords)(text, sink, 0);
  return [...sink.words].sort();
};
const distinct = (list: string[]) => [...new Set(list)].sort();

describe('index words', () => {
  const texts = [
    'biscop2022new',
    'Smith:2020:ABC',
    'Zoltán MÜLLER',
    'Müller2020über',
    'İstanbul',
    'ΣΟΦΙΑ Σίσυφος ΟΔΥΣΣΕΥΣ',
    'x\u0301y',
    'H₂O ² ab\u00aa12cd',
    '日本語 テキスト 한국어',
    'ǅemal ﬁsh Kelvin µs',
    '\ud835\udc00bc \ud800',
    'Advances in Cryptology – ASIACRYPT 2025, Part I',
    'a_b-c;d\u037ee',
    '',
    '  ',
  ];

  it('are the words and key words the search matches', () => {
    for (const t of texts) {
      assert.deepEqual(indexed(t, false), distinct(words(t)), t);
      assert.deepEqual(indexed(t, true), distinct(keyWords(t)), t);
    }
  });

  it('are the same for every code unit, between letters and digits', () => {
    for (let c = 0x80; c < 0x10000; c++) {
      const t = `Ab${String.fromCharCode(c)}2c`;
      assert.deepEqual(indexed(t, true), distinct(keyWords(t)), `U+${c.toString(16)}`);
    }
  });
});

describe('field index', () => {
  it('sorts the vocabulary and posts each record once per word, in order, without the skipped words', () => {
    const field = new FieldIndexBuilder(['the']);
    const docs = ['the cold war', 'War and the peace', 'Cold cold cold', 'war'];
    docs.forEach((d, i) => addWords(d, field, i));
    const index = field.build();
    assert.deepEqual(index.words.list(), ['and', 'cold', 'peace', 'war']);
    const postings = index.words.list().map((_, i) => [...index.docs.subarray(index.offsets[i], index.offsets[i + 1])]);
    assert.deepEqual(postings, [[1], [0, 2], [1], [0, 1, 3]]);
  });
});

describe('vocabulary', () => {
  it('finds where a word goes as comparing strings does, without a string per word', () => {
    const words = [...new Set(['', 'a', 'ab', 'abc', 'abd', 'b', 'z', 'zürich', 'zz', '\u00e9t\u00e9', '\ud83d\ude00x', '\uffff', '1999', '2004a'])].sort();
    const vocabulary = Vocabulary.of(words);
    assert.deepEqual(vocabulary.list(), words);
    for (const w of [...words, 'aa', 'abcd', 'ac', 'y', 'zu', 'zz\uffff', 'a\uffff', '\ud83d', '0', '2004', '\uffff\uffff']) {
      const expected = words.findIndex((v) => !(v < w));
      assert.equal(vocabulary.lowerBound(w), expected < 0 ? words.length : expected, JSON.stringify(w));
    }
    assert.equal(vocabulary.prefixOf(words.indexOf('zürich'), 3), 'zür');
    assert.equal(vocabulary.lengthOf(words.indexOf('abc')), 3);
  });
});

describe('merged field indexes', () => {
  const shape = (f: FieldIndex) => ({ words: f.words.list(), offsets: [...f.offsets], docs: [...f.docs] });
  const built = (docs: string[]) => {
    const field = new FieldIndexBuilder(['the']);
    docs.forEach((d, i) => addWords(d, field, i));
    return field.build();
  };

  it('are the index one builder gives for all the records, in order', () => {
    const parts = [['the cold war', 'war and peace', 'Zürich'], [], ['cold peace', 'a war', 'cold cold', 'Ærø'], ['zebra and war']];
    const bases = [0, 3, 3, 7];
    assert.deepEqual(shape(mergeFieldIndexes(parts.map(built), bases)), shape(built(parts.flat())));
    assert.deepEqual(shape(mergeFieldIndexes([built(parts[0])], [0])), shape(built(parts[0])));
  });
});
