// CSV rules in and out (issue 12), each in the test named after it: the upload header is checked
// before any cell, each problem named in the words a spreadsheet user can act on; a long upload is
// cut one row past the limit; a downloaded text cell that a spreadsheet would run as a formula is
// neutralised, and a number never; display rounding lies within half a unit of the last place.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvTable, csvwMetadata, neutralised, parseScoresCsv, rounded, toCsv, type CsvColumn, type CsvProvenance } from '../../src/http/csv.js';
import { ApiProblem } from '../../src/http/problem.js';

const HEADER = 'unit,indicator,source,value';
/** The 400 a file is refused with, as its detail. */
function refusal(text: string): string {
  try { parseScoresCsv(text); } catch (e) {
    expect(e).toBeInstanceOf(ApiProblem);
    expect((e as ApiProblem).type).toBe('malformed-body');
    return (e as ApiProblem).detail;
  }
  throw new Error('the file was accepted');
}

describe('the upload header is checked before any cell, each fault named', () => {
  it('refuses an empty file, a header without rows, and a file that does not parse', () => {
    expect(refusal('')).toBe('The CSV is empty: expected a header unit,indicator,source,value and at least one row.');
    expect(refusal('\r\n\r\n')).toBe('The CSV is empty: expected a header unit,indicator,source,value and at least one row.');
    expect(refusal(`${HEADER}\r\n`)).toBe('The CSV has a header but no rows.');
    expect(refusal(`${HEADER}\n01,1.1.1,appraisal,"0.5\n`)).toMatch(/^The CSV could not be parsed: ./);
  });

  it('names a column given twice once, and the missing and unknown columns', () => {
    expect(refusal('unit,value,indicator,value,VALUE\n01,1,1.1.1,1,1\n')).toBe('The CSV header names value more than once.');
    expect(refusal('unit,indicator,source,colour\n01,1.1.1,self,red\n'))
      .toBe('The CSV header must be unit,indicator,source,value (optionally note,evidence,reason); missing: value; unknown: colour.');
    expect(refusal('unit,source,value,note,x,y\n01,self,1,n,1,2\n'))
      .toBe('The CSV header must be unit,indicator,source,value (optionally note,evidence,reason); missing: indicator; unknown: x, y.');
    expect(refusal('unit,unit,value,value,indicator\n01,01,1,1,1.1.1\n')).toBe('The CSV header names unit, value more than once.');
    expect(refusal('source,value\nself,1\n')).toBe('The CSV header must be unit,indicator,source,value (optionally note,evidence,reason); missing: unit, indicator.');
    expect(refusal('indicator,value\n1.1.1,1\n')).toBe('The CSV header must be unit,indicator,source,value (optionally note,evidence,reason); missing: unit.');
    expect(refusal('unit,indicator,value,weight\n01,1.1.1,1,2\n')).toBe('The CSV header must be unit,indicator,source,value (optionally note,evidence,reason); unknown: weight.');
  });

  it('takes the header in any case, source optional, and the optional columns in any order', () => {
    const { rows, errors } = parseScoresCsv('Reason,VALUE,Evidence,Indicator,Unit,Note\n because ,0.5,BC 1,1.1.1,01,\n');
    expect(errors).toEqual([]);
    // cells are trimmed; an empty cell is no value
    expect(rows).toEqual([{ unit: '01', indicator: '1.1.1', source: undefined, value: 0.5, note: undefined, evidence: 'BC 1', reason: 'because' }]);
  });

  it('reads a BOM, LF or CRLF, and skips blank lines', () => {
    const { rows } = parseScoresCsv(`\ufeff${HEADER}\n\n01,1.1.1,appraisal,1\r\n\r\n02,1.1.1,appraisal,2\n`);
    expect(rows.map((r) => [r.unit, r.value])).toEqual([['01', 1], ['02', 2]]);
  });

  it('decides the delimiter on the whole header of a one-line file, its last character included', () => {
    // a semicolon file: one column "unit,indicator,source,value" and an empty one
    expect(refusal('unit,indicator,source,value;')).toContain('missing: unit, indicator, value;');
  });

  it('decides the delimiter on the first line of an LF file', () => {
    const { rows, errors } = parseScoresCsv(`${HEADER},note\n01,1.1.1,appraisal,0.5,"a; b"\n`);
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ value: 0.5, note: 'a; b' });
  });
});

describe('a cell is an answer, a number, null or a JSON object; any other is named with its row', () => {
  const value = (raw: string, semicolon = false) => {
    const text = semicolon ? `unit;indicator;source;value\n01;1.1.1;appraisal;${raw}\n` : `${HEADER}\n01,1.1.1,appraisal,${raw}\n`;
    const { rows, errors } = parseScoresCsv(text);
    return errors.length ? { error: errors[0] } : { value: rows[0].value };
  };

  it('reads decimal notation only', () => {
    expect(['1e+2', '-.5', '1.5e-1', '007', '+0', '12.5', '-.25', '2.5e-12'].map((raw) => value(raw).value)).toEqual([100, -0.5, 0.15, 7, 0, 12.5, -0.25, 2.5e-12]);
    for (const raw of ['1e', 'e5', '+-1', '1e2.5', '--1', '1 2', 'x1', '1x', '.e1']) expect(value(`"${raw}"`).error?.message, raw).toBe(`value ${raw} is not a finite number`);
  });

  it('names an empty value, and reads null in any case', () => {
    expect(value('').error).toEqual({ row: 1, field: 'value', unit: '01', indicator: '1.1.1', message: 'value is empty (write null for "no data")' });
    expect(value('Null').value).toBeNull();
  });

  it('reads a JSON object, refuses bad JSON and the key __proto__', () => {
    expect(value('"{""A"": 3, ""B"": 1}"').value).toEqual({ A: 3, B: 1 });
    expect(value('"{""A"": 3,}"').error?.message).toBe('value {"A": 3,} is not valid JSON');
    expect(value('"{1"').error?.message).toBe('value {1 is not valid JSON');
    expect(value('"{""__proto__"": 5}"').error?.message).toBe('value has the key __proto__ (a reserved name)');
    expect(value('"{""a"": {""__proto__"": 5}}"').error?.message).toBe('value has the key __proto__ (a reserved name)');
  });

  it('reads one decimal comma in a semicolon file, a decimal point too', () => {
    expect([value('2,5', true).value, value('2.5', true).value, value('-0,25', true).value]).toEqual([2.5, 2.5, -0.25]);
  });

  it('numbers errors by data row, the header not counted, each naming its unit and indicator', () => {
    const { errors, rows } = parseScoresCsv(`${HEADER}\n01,1.1.1,appraisal,1\n02,1.1.2,appraisal,x\n03,1.1.3,appraisal,\n`);
    expect(rows).toHaveLength(3);
    expect(errors.map((e) => [e.row, e.unit, e.indicator])).toEqual([[2, '02', '1.1.2'], [3, '03', '1.1.3']]);
  });

  it('gives a row without unit or indicator empty strings, for validation to name', () => {
    expect(parseScoresCsv(`${HEADER}\n,,appraisal,1\n`).rows[0]).toMatchObject({ unit: '', indicator: '' });
  });
});

describe('a long upload is read one row past the limit, no further', () => {
  const file = (n: number) => `${HEADER}\n${Array.from({ length: n }, (_, i) => `${String(i + 1).padStart(2, '0')},1.1.1,appraisal,1`).join('\n')}\n`;
  it('stops at limit + 1 rows, so the caller knows the file is too long', () => {
    expect(parseScoresCsv(file(10), 3).rows).toHaveLength(4);
    expect(parseScoresCsv(file(4), 3).rows).toHaveLength(4);
    expect(parseScoresCsv(file(3), 3).rows).toHaveLength(3);
    expect(parseScoresCsv(file(10)).rows).toHaveLength(10);
  });
});

describe('a downloaded text cell a spreadsheet would run as a formula is neutralised; numbers never', () => {
  it('prefixes = + - @ tab and carriage return at the start only', () => {
    for (const t of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutralised(t), JSON.stringify(t)).toBe(`'${t}`);
    for (const t of ['a=1', '1-2', 'x@y', '', ' =1']) expect(neutralised(t), JSON.stringify(t)).toBe(t);
  });

  it('writes BOM and CRLF, quoting a line break (LF or CR) and a leading apostrophe', () => {
    expect(toCsv(['a', 'b'], [['x\ny', "'=1"], ['p\rq', 'plain'], ["it's", 1]])).toBe('\ufeffa,b\r\n"x\ny","\'=1"\r\n"p\rq",plain\r\nit\'s,1\r\n');
  });

  const columns: CsvColumn[] = [
    { path: ['name'], datatype: 'string', description: '' },
    { path: ['n', 'v'], datatype: 'decimal', description: '' },
    { path: ['n', 'd'], datatype: 'double', description: '' },
    { path: ['ok'], datatype: 'boolean', description: '' },
    { path: ['j'], datatype: 'json', description: '' },
    { path: ['i'], datatype: 'integer', description: '' },
  ];

  it('finds nothing past a text: its length is not a column', () => {
    expect(csvTable([{ path: ['name', 'length'], datatype: 'integer', description: '' }], [{ name: 'abc' }], 2)).toBe('\ufeffname.length\r\n\r\n');
  });

  it('looks each column up by its path; a missing or null step is the empty cell', () => {
    const text = csvTable(columns, [
      { name: '=HYPERLINK("x")', n: { v: -0.125, d: -0.5 }, ok: false, j: { a: [1] }, i: -3 },
      { name: null, n: null, ok: true, j: '-x', i: 0 },
      { name: 'b', n: { v: 2 } },
      { name: 'c', n: 'str' },
    ], 2);
    const [header, ...rows] = parse(text, { bom: true }) as string[][];
    expect(header).toEqual(['name', 'n.v', 'n.d', 'ok', 'j', 'i']);
    expect(rows).toEqual([
      ['\'=HYPERLINK("x")', '-0.13', '-0.5', 'false', '{"a":[1]}', '-3'],
      ['', '', '', 'true', '-x', '0'],
      ['b', '2.00', '', '', '', ''],
      ['c', '', '', '', '', ''],
    ]);
  });
});

describe('display rounding lies within half a unit of the last place, with exactly the decimals asked', () => {
  it('holds for any finite double and 0 to 6 decimals (fast-check)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 6 }), (x, d) => {
      const text = rounded(x, d);
      expect(text).toMatch(d === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${d}}$`));
      expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(0.5 * 10 ** -d * (1 + 1e-9) + 1e-9);
      expect(text === '-0' || /^-0\.0*$/.test(text)).toBe(false);
    }), { numRuns: 500 });
  });

  it('rounds half away from zero on the decimal digits', () => {
    expect([rounded(0.5, 0), rounded(1.5, 0), rounded(-1.5, 0), rounded(0.05, 1), rounded(-0.05, 1), rounded(9.5, 0), rounded(0.45, 1), rounded(0.449, 1)])
      .toEqual(['1', '2', '-2', '0.1', '-0.1', '10', '0.5', '0.4']);
    expect([rounded(1.5e-10, 10), rounded(1.4e-10, 10), rounded(5e-11, 10), rounded(4e-11, 10)]).toEqual(['0.0000000002', '0.0000000001', '0.0000000001', '0.0000000000']);
    expect([rounded(123.456, 1), rounded(123456789.5, 0), rounded(0.000999, 3)]).toEqual(['123.5', '123456790', '0.001']);
  });

  it('accepts 0 to 20 decimals only', () => {
    expect(rounded(1, 20)).toBe(`1.${'0'.repeat(20)}`);
    expect(rounded(1.25, 0)).toBe('1');
    for (const d of [21, -1, 1.5, NaN]) expect(() => rounded(1, d), String(d)).toThrow(`decimals ${d} is not an integer in 0..20`);
  });
});

describe('CSVW metadata names its table, columns, key and provenance', () => {
  const provenance = (notice: string | null | undefined): CsvProvenance => ({
    cycle: { year: 2024, unitType: 'ministry', status: 'review', synthetic: false, methodology: { id: 'm', version: 3, provisionalNodes: 0, rounding: 1 } },
    revision: { kind: 'publication', revision: 4, contentHash: 'ab' }, notice,
  });
  const columns: CsvColumn[] = [
    { path: ['unit', 'code'], datatype: 'string', description: 'the code' },
    { path: ['a b', 'é', 'x~y'], datatype: 'decimal', description: 'odd', titles: { vi: 'Điểm', en: 'Points' } },
  ];
  const metaOf = (p: CsvProvenance) => csvwMetadata({ title: 'results', csvUrl: 'r.csv', columns, primaryKey: ['unit.code'], provenance: p });
  // no default for an undefined notice here: meta(undefined) would read as meta(null)
  const meta = (notice: string | null = null) => metaOf(provenance(notice));

  it('describes the dialect the CSV is written in', () => {
    expect(meta().dialect).toEqual({ encoding: 'utf-8', header: true, delimiter: ',', doubleQuote: true, lineTerminators: ['\r\n'] });
    expect(meta()['@context']).toEqual(['http://www.w3.org/ns/csvw', { '@language': 'en' }]);
    expect(meta()['dc:title']).toBe('PAR INDEX 2024 ministry: results, revision 4');
    const draft = csvwMetadata({ title: 'results', csvUrl: 'r.csv', columns, primaryKey: [], provenance: { ...provenance(null), revision: { kind: 'draft' } } });
    expect(draft['dc:title']).toBe('PAR INDEX 2024 ministry: results, draft');
  });

  it('percent-encodes a column name outside letters, digits, _ and dots, and marks key columns required', () => {
    const [code, odd] = meta().tableSchema.columns;
    expect(code).toEqual({ name: 'unit.code', titles: 'unit.code', datatype: 'string', 'dc:description': 'the code', required: true });
    // space %20, é %C3%A9 (UTF-8), ~ %7E (which encodeURIComponent leaves as is)
    expect(odd).toEqual({ name: 'a%20b.%C3%A9.x%7Ey', titles: { und: ['a b.é.x~y'], vi: ['Điểm'], en: ['Points'] }, datatype: 'decimal', 'dc:description': 'odd' });
    expect(meta().tableSchema.primaryKey).toEqual(['unit.code']);
  });

  it('adds the notice to the description only when there is one, and lists the provenance leaves', () => {
    const base = meta()['dc:description'];
    expect(base.startsWith('Column names are the names of the JSON answer joined with dots')).toBe(true);
    expect(base).toContain('leading apostrophe');
    expect(meta('DEMO')['dc:description']).toBe(`${base} DEMO`);
    expect(metaOf(provenance(undefined))['dc:description']).toBe(base);
    expect(meta()['schema:additionalProperty'].map((p) => [p['schema:name'], p['schema:value']])).toEqual([
      ['cycle.year', 2024], ['cycle.unitType', 'ministry'], ['cycle.status', 'review'], ['cycle.synthetic', false],
      ['cycle.methodology.id', 'm'], ['cycle.methodology.version', 3], ['cycle.methodology.provisionalNodes', 0], ['cycle.methodology.rounding', 1],
      ['revision.kind', 'publication'], ['revision.revision', 4], ['revision.contentHash', 'ab'],
    ]);
    expect(meta()['schema:additionalProperty'][0]['@type']).toBe('schema:PropertyValue');
    // an undefined notice, like a null one, is no leaf
    expect(metaOf(provenance(undefined))['schema:additionalProperty']).toEqual(meta()['schema:additionalProperty']);
  });
});
