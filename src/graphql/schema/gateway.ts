import { builder } from '../builder.js';
import type { DataCentre } from '../../zoho/datacenters.js';

const Environment = builder.enumType('ZohoEnvironment', {
  description: 'Zoho runs production, sandbox and developer environments in every data centre.',
  values: { PRODUCTION: { value: 'production' }, SANDBOX: { value: 'sandbox' }, DEVELOPER: { value: 'developer' } } as const,
});

const DataCentreRef = builder.objectRef<DataCentre>('DataCentre').implement({
  description: 'A Zoho data centre this gateway can connect accounts in.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The key to pass as `dc` (us, eu, in, au, jp, cn, ca, sa, uk, or e.g. eu-sandbox).' }),
    location: t.exposeString('location', { description: 'Zoho’s `location` value for this data centre.' }),
    accountsServer: t.exposeString('accountsUrl', { description: 'Zoho Accounts server of this data centre.' }),
    apiDomain: t.exposeString('apiDomain', { description: 'CRM API domain of this data centre.' }),
    environment: t.field({ type: Environment, resolve: (dc) => dc.environment }),
  }),
});

builder.queryField('dataCentres', (t) =>
  t.field({
    type: [DataCentreRef],
    description: 'The Zoho data centres this gateway knows (built in, plus ZOHO_DATA_CENTERS).',
    resolve: (_root, _args, ctx) => [...ctx.dataCentres],
  }),
);
