import { describe, expect, it } from 'vitest';
import { dataCentreTable, findByAccountsServer, findByApiDomain } from '../../src/zoho/datacenters.js';

describe('built-in data-centre table', () => {
  const table = dataCentreTable();

  it('has every DC in production, sandbox and developer environments', () => {
    for (const dc of ['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk']) {
      expect(table[dc]?.environment).toBe('production');
      expect(table[`${dc}-sandbox`]?.environment).toBe('sandbox');
      expect(table[`${dc}-developer`]?.environment).toBe('developer');
      expect(table[`${dc}-sandbox`]?.accountsUrl).toBe(table[dc]?.accountsUrl);
      expect(table[`${dc}-sandbox`]?.location).toBe(dc);
    }
    expect(Object.keys(table)).toHaveLength(27);
  });

  it('knows the documented hosts, including Canada where accounts and API differ', () => {
    expect(table.us).toMatchObject({ accountsUrl: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' });
    expect(table.au).toMatchObject({ accountsUrl: 'https://accounts.zoho.com.au', apiDomain: 'https://www.zohoapis.com.au' });
    expect(table.ca).toMatchObject({ accountsUrl: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca' });
    expect(table['ca-sandbox']?.apiDomain).toBe('https://sandbox.zohoapis.ca');
    expect(table['cn-developer']?.apiDomain).toBe('https://developer.zohoapis.com.cn');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(table.eu)).toBe(true);
  });
});

describe('findByAccountsServer', () => {
  const table = dataCentreTable();

  it('matches the exact origin and prefers the production entry', () => {
    expect(findByAccountsServer(table, 'https://accounts.zoho.eu')?.key).toBe('eu');
    expect(findByAccountsServer(table, 'https://accounts.zoho.eu/')?.key).toBe('eu');
    expect(findByAccountsServer(table, 'https://accounts.zohocloud.ca')?.key).toBe('ca');
  });

  it('never matches look-alike hosts, other schemes or ports', () => {
    for (const url of [
      'https://accounts.zoho.eu.evil.com',
      'https://evil-accounts.zoho.eu',
      'https://accounts.zoho.eu@evil.com',
      'https://evil.com/https://accounts.zoho.eu',
      'http://accounts.zoho.eu',
      'https://accounts.zoho.eu:8443',
      'accounts.zoho.eu',
      '',
    ]) {
      expect(findByAccountsServer(table, url), url).toBeUndefined();
    }
  });
});

describe('findByApiDomain', () => {
  const table = dataCentreTable();

  it('tells environments apart by API domain', () => {
    expect(findByApiDomain(table, 'https://www.zohoapis.com')?.key).toBe('us');
    expect(findByApiDomain(table, 'https://sandbox.zohoapis.com')?.key).toBe('us-sandbox');
    expect(findByApiDomain(table, 'https://developer.zohoapis.eu')?.key).toBe('eu-developer');
  });

  it('does not match look-alikes', () => {
    expect(findByApiDomain(table, 'https://www.zohoapis.com.evil.io')).toBeUndefined();
    expect(findByApiDomain(table, 'https://www.zohoapis.co')).toBeUndefined();
  });
});

describe('overrides', () => {
  it('replace entries of the same key and add new ones, environment read from the key', () => {
    const table = dataCentreTable({
      eu: { accounts: 'http://127.0.0.1:9000', api: 'http://127.0.0.1:9001/' },
      lab: { accounts: 'https://accounts.lab.test', api: 'https://api.lab.test' },
      'lab-sandbox': { accounts: 'https://accounts.lab.test', api: 'https://sandbox.lab.test' },
    });
    expect(table.eu).toEqual({
      key: 'eu',
      location: 'eu',
      accountsUrl: 'http://127.0.0.1:9000',
      apiDomain: 'http://127.0.0.1:9001',
      environment: 'production',
    });
    expect(table['eu-sandbox']?.apiDomain).toBe('https://sandbox.zohoapis.eu');
    expect(table['lab-sandbox']).toMatchObject({ location: 'lab', environment: 'sandbox' });
    expect(findByAccountsServer(table, 'https://accounts.lab.test')?.key).toBe('lab');
    // The real EU accounts server still serves the (untouched) EU sandbox and developer entries.
    expect(findByAccountsServer(table, 'https://accounts.zoho.eu')?.key).toBe('eu-sandbox');
  });

  it('throws on a non-URL', () => {
    expect(() => dataCentreTable({ x: { accounts: 'nope', api: 'https://a.test' } })).toThrow(TypeError);
  });
});
