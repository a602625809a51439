import { describe, expect, it } from 'vitest';
import { resolveIdentity } from '../../src/connect/identity.js';
import { isAllowedReturnUrl } from '../../src/connect/return-urls.js';

describe('resolveIdentity (field-guide fallbacks)', () => {
  const info = { ZUID: 7001, Email: 'ana@zylker.example', First_Name: 'Ana', Last_Name: 'Silva', Display_Name: 'Ana S.' };

  it('takes the org from the org API first', () => {
    expect(resolveIdentity({ ...info, orgid: '9' }, { id: '555', company_name: 'Zylker' })).toEqual({
      zohoUserId: '7001',
      email: 'ana@zylker.example',
      displayName: 'Ana S.',
      firstName: 'Ana',
      lastName: 'Silva',
      zohoOrgId: '555',
      orgName: 'Zylker',
    });
  });

  it('falls back to orgid, organizationid, ZGID, then the ZUID for the org id', () => {
    expect(resolveIdentity({ ...info, orgid: '1', organizationid: '2', ZGID: '3' }, undefined)!.zohoOrgId).toBe('1');
    expect(resolveIdentity({ ...info, organizationid: '2', ZGID: '3' }, undefined)!.zohoOrgId).toBe('2');
    expect(resolveIdentity({ ...info, ZGID: 3 }, undefined)!.zohoOrgId).toBe('3');
    expect(resolveIdentity(info, undefined)!.zohoOrgId).toBe('7001');
  });

  it('falls back to companyname, organizationname, Company_Name, then the email domain for the org name', () => {
    expect(resolveIdentity({ ...info, companyname: 'A', organizationname: 'B', Company_Name: 'C' }, {})!.orgName).toBe('A');
    expect(resolveIdentity({ ...info, organizationname: 'B', Company_Name: 'C' }, {})!.orgName).toBe('B');
    expect(resolveIdentity({ ...info, Company_Name: 'C' }, {})!.orgName).toBe('C');
    expect(resolveIdentity(info, {})!.orgName).toBe('zylker.example');
  });

  it('refuses an answer without ZUID or Email, and builds a display name when Zoho sends none', () => {
    expect(resolveIdentity({ Email: 'x@y.z' }, undefined)).toBeUndefined();
    expect(resolveIdentity({ ZUID: '1' }, undefined)).toBeUndefined();
    expect(resolveIdentity({ ZUID: '1', Email: 'x@y.z', First_Name: 'X', Last_Name: 'Y' }, undefined)!.displayName).toBe('X Y');
  });
});

describe('isAllowedReturnUrl', () => {
  const allowed = ['https://app.example', 'https://admin.example/settings/crm'];
  it.each([
    ['https://app.example/anything?x=1', true],
    ['https://admin.example/settings/crm', true],
    ['https://admin.example/settings/crm/zoho', true],
    ['https://admin.example/settings/crmx', false],
    ['https://admin.example/other', false],
    ['https://app.example.evil.com/', false],
    ['http://app.example/', false],
    ['https://user:pw@app.example/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isAllowedReturnUrl(url, allowed)).toBe(ok);
  });
});
