import { builder } from '../builder.js';
import { requireConnection } from './require-connection.js';

interface OrgView {
  id: string;
  name: string;
  primaryEmail: string | null;
  timeZone: string | null;
  currency: string | null;
  country: string | null;
  domainName: string | null;
  zgid: string | null;
}

interface ZohoOrg {
  id?: string;
  company_name?: string;
  primary_email?: string;
  time_zone?: string;
  currency?: string;
  country?: string;
  domain_name?: string;
  zgid?: string;
}

const Organization = builder.objectRef<OrgView>('Organization').implement({
  description: 'The connected Zoho CRM organization (`GET /crm/v8/org`).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    primaryEmail: t.exposeString('primaryEmail', { nullable: true }),
    timeZone: t.exposeString('timeZone', { nullable: true }),
    currency: t.exposeString('currency', { nullable: true }),
    country: t.exposeString('country', { nullable: true }),
    domainName: t.exposeString('domainName', { nullable: true }),
    zgid: t.exposeString('zgid', { nullable: true }),
  }),
});

builder.queryField('organization', (t) =>
  t.field({
    type: Organization,
    authScopes: { scope: 'org:read' },
    description: 'The connected org. Id and name fall back to what Zoho Accounts said at connect time when the org API omits them.',
    resolve: async (_r, _a, ctx) => {
      const connection = await requireConnection(ctx);
      const res = await ctx.zoho<{ org?: ZohoOrg[] }>({ method: 'GET', path: '/org' });
      const org = res.body?.org?.[0] ?? {};
      return {
        id: org.id ?? connection.zohoOrgId,
        name: org.company_name ?? connection.orgName,
        primaryEmail: org.primary_email ?? null,
        timeZone: org.time_zone ?? null,
        currency: org.currency ?? null,
        country: org.country ?? null,
        domainName: org.domain_name ?? null,
        zgid: org.zgid ?? null,
      };
    },
  }),
);
