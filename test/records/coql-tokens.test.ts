import { describe, expect, it } from 'vitest';
import { scanCoql } from '../../src/records/coql-tokens.js';

/** The one COQL scan, read leniently by the limit check and strictly by the scope reader. */

const kinds = (query: string) => scanCoql(query).tokens.map((t) => `${t.kind}:${t.text}@${t.depth}`);

describe('scanCoql', () => {
  it('reads words, strings, numbers, operators, arrows and bracket depth', () => {
    const scan = scanCoql("select What_Id->Leads.Last_Name from Tasks where (Subject = 'O''Brien' and Amount >= -1.5)");
    expect(scan.unreadable).toBeUndefined();
    expect(scan.tokens.map((t) => `${t.kind}:${t.value}@${t.depth}`)).toEqual([
      'word:select@0',
      'word:What_Id@0',
      'arrow:->@0',
      'word:Leads.Last_Name@0',
      'word:from@0',
      'word:Tasks@0',
      'word:where@0',
      'punct:(@0',
      'word:Subject@1',
      'op:=@1',
      "string:O'Brien@1",
      'word:and@1',
      'word:Amount@1',
      'op:>=@1',
      'number:-1.5@1',
      'punct:)@0',
    ]);
  });

  it('keeps going where it cannot read, noting the first such place', () => {
    // The limit check still needs `from <module>` and the brackets of what follows.
    expect(kinds('select a from $x where (b = 1e5)')).toEqual([
      'word:select@0',
      'word:a@0',
      'word:from@0',
      'word:$x@0',
      'word:where@0',
      'punct:(@0',
      'word:b@1',
      'op:=@1',
      'number:1@1',
      'word:e5@1',
      'punct:)@0',
    ]);
    expect(scanCoql('select a from $x where (b = 1e5)').unreadable).toEqual({ at: 14, why: 'the character "$"' });
    expect(scanCoql('select a.b. from X').unreadable).toEqual({ at: 10, why: 'the character "."' });
    expect(scanCoql("select a from X where b = 'x\\' or c = '").unreadable).toEqual({ at: 28, why: 'a backslash before a quote' });
    expect(scanCoql("select a from X where b = 'open").unreadable).toEqual({ at: 26, why: 'an unterminated string' });
    expect(kinds('select !a from #1')).toEqual(['word:select@0', 'op:!@0', 'word:a@0', 'word:from@0', 'punct:#@0', 'number:1@0']);
  });
});
