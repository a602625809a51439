import { describe, expect, it } from 'vitest';
import { assignFieldNames } from '../../src/typed/naming.js';

describe('field names of a module (assignFieldNames)', () => {
  it('gives a field whose camelCase is another field’s api name its verbatim api name, in any order', () => {
    // `leadScore` is both Lead_Score's camelCase and a field's own api name.
    const fields = [{ apiName: 'Lead_Score' }, { apiName: 'leadScore' }, { apiName: 'Deal_Name' }];
    const names = assignFieldNames(fields, undefined);
    expect(names).toEqual({ Lead_Score: 'Lead_Score', leadScore: 'leadScore', Deal_Name: 'dealName' });
    expect(assignFieldNames([...fields].reverse(), undefined)).toEqual(names);
  });

  it('keeps a newcomer off a name that is another field’s api name, even when that field kept another GraphQL name', () => {
    const names = assignFieldNames([{ apiName: 'leadScore' }, { apiName: 'Lead_Score' }], { leadScore: 'score' });
    expect(names).toEqual({ leadScore: 'score', Lead_Score: 'Lead_Score' });
  });

  it('names every field of a 250-field module uniquely, newcomers that collide taking their api names', () => {
    const fields = Array.from({ length: 250 }, (_, i) => ({ apiName: i % 50 === 0 ? `customField${i + 1}` : `Custom_Field_${i}` }));
    const names = assignFieldNames(fields, undefined);
    expect(new Set(Object.values(names)).size).toBe(250);
    // customField1 is a field's api name and Custom_Field_1's camelCase: the latter keeps its api name.
    expect(names.Custom_Field_1).toBe('Custom_Field_1');
    expect(names.customField1).toBe('customField1');
    expect(names.Custom_Field_2).toBe('customField2');
  });
});
