/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant as an ISO 8601 string in UTC, e.g. 2026-01-31T09:30:00.000Z. */
  DateTime: { input: any; output: any; }
};

export type ConnectStart = {
  __typename?: 'ConnectStart';
  /** Send the user’s browser here (Zoho’s consent page). */
  authorizeUrl: Scalars['String']['output'];
  /** The data centre whose login page the URL opens. */
  dc: Scalars['String']['output'];
  /** The URL’s single-use state expires then (10 minutes). */
  expiresAt: Scalars['DateTime']['output'];
};

/** The tenant’s link to one Zoho CRM account. Never carries a token. */
export type Connection = {
  __typename?: 'Connection';
  apiDomain: Scalars['String']['output'];
  connectedAt: Scalars['DateTime']['output'];
  /** Data-centre key (us, eu, ca, …). */
  dc: Scalars['String']['output'];
  email: Scalars['String']['output'];
  /** When the current access token expires; the gateway refreshes ahead of it. */
  expiresAt: Scalars['DateTime']['output'];
  /** The connection’s name (the JWT’s `cid`, `default` unless you use several). */
  name: Scalars['String']['output'];
  orgId: Scalars['String']['output'];
  orgName: Scalars['String']['output'];
  /** Scopes Zoho granted. */
  scopes: Array<Scalars['String']['output']>;
  status: ConnectionStatus;
  /** The connected user’s ZUID. */
  zohoUserId: Scalars['String']['output'];
};

export type ConnectionStatus =
  /** Tokens are valid; queries reach Zoho. */
  | 'ACTIVE'
  /** Zoho refused the refresh token for good (revoked, or the user removed the app): connect again. */
  | 'RECONNECT_REQUIRED';

/** A Zoho data centre this gateway can connect accounts in. */
export type DataCentre = {
  __typename?: 'DataCentre';
  /** Zoho Accounts server of this data centre. */
  accountsServer: Scalars['String']['output'];
  /** CRM API domain of this data centre. */
  apiDomain: Scalars['String']['output'];
  environment: ZohoEnvironment;
  /** The key to pass as `dc` (us, eu, in, au, jp, cn, ca, sa, uk, or e.g. eu-sandbox). */
  key: Scalars['String']['output'];
  /** Zoho’s `location` value for this data centre. */
  location: Scalars['String']['output'];
};

/** Connect Zoho accounts and write CRM data. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Server-only setups: exchanges a grant code made with Zoho’s Self Client (API console) and stores the connection. */
  connectZohoWithGrantCode: Connection;
  /** Revokes the connection’s refresh token at Zoho and deletes the connection. False when there was none. */
  disconnectZoho: Scalars['Boolean']['output'];
  /** Starts connecting a Zoho CRM account: returns Zoho’s consent URL for the data centre (default ZOHO_DC). After consent Zoho sends the browser to the gateway, which stores the connection and redirects to `returnTo` with `zoho=connected` or `zoho=error&reason=…`. */
  startZohoConnect: ConnectStart;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationConnectZohoWithGrantCodeArgs = {
  code: Scalars['String']['input'];
  dc: Scalars['String']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationStartZohoConnectArgs = {
  dc?: InputMaybe<Scalars['String']['input']>;
  returnTo?: InputMaybe<Scalars['String']['input']>;
};

/** A role or profile. */
export type NamedRef = {
  __typename?: 'NamedRef';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

/** The connected Zoho CRM organization (`GET /crm/v8/org`). */
export type Organization = {
  __typename?: 'Organization';
  country?: Maybe<Scalars['String']['output']>;
  currency?: Maybe<Scalars['String']['output']>;
  domainName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  primaryEmail?: Maybe<Scalars['String']['output']>;
  timeZone?: Maybe<Scalars['String']['output']>;
  zgid?: Maybe<Scalars['String']['output']>;
};

/** Read a tenant’s Zoho CRM data. */
export type Query = {
  __typename?: 'Query';
  /** The caller’s Zoho connection, or null when none. */
  connection?: Maybe<Connection>;
  /** The Zoho data centres this gateway knows (built in, plus ZOHO_DATA_CENTERS). */
  dataCentres: Array<DataCentre>;
  /** Who the caller’s connection acts as in Zoho. Costs no Zoho call. */
  me: ZohoUser;
  /** The connected org. Id and name fall back to what Zoho Accounts said at connect time when the org API omits them. */
  organization: Organization;
  /** One user by id; batched with every other user lookup of the operation (100 ids per Zoho call). */
  user?: Maybe<User>;
  users: UserPage;
};


/** Read a tenant’s Zoho CRM data. */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryUsersArgs = {
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<UserType>;
};

/** A user of the connected CRM org. */
export type User = {
  __typename?: 'User';
  email?: Maybe<Scalars['String']['output']>;
  fullName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  profile?: Maybe<NamedRef>;
  role?: Maybe<NamedRef>;
  /** active, disabled, deleted, … */
  status?: Maybe<Scalars['String']['output']>;
};

export type UserPage = {
  __typename?: 'UserPage';
  count: Scalars['Int']['output'];
  moreRecords: Scalars['Boolean']['output'];
  page: Scalars['Int']['output'];
  perPage: Scalars['Int']['output'];
  users: Array<User>;
};

/** Zoho’s user filters (GET /crm/v8/users `type`). */
export type UserType =
  | 'ACTIVE_CONFIRMED_ADMINS'
  | 'ACTIVE_USERS'
  | 'ADMIN_USERS'
  | 'ALL_USERS'
  | 'CONFIRMED_USERS'
  | 'CURRENT_USER'
  | 'DEACTIVE_USERS'
  | 'DELETED_USERS'
  | 'NOT_CONFIRMED_USERS';

/** Zoho runs production, sandbox and developer environments in every data centre. */
export type ZohoEnvironment =
  | 'DEVELOPER'
  | 'PRODUCTION'
  | 'SANDBOX';

/** The Zoho user who connected the caller’s account (from Zoho Accounts at connect time). */
export type ZohoUser = {
  __typename?: 'ZohoUser';
  connection: Connection;
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  firstName?: Maybe<Scalars['String']['output']>;
  /** ZUID. */
  id: Scalars['ID']['output'];
  lastName?: Maybe<Scalars['String']['output']>;
};

export type StartConnectMutationVariables = Exact<{
  returnTo?: InputMaybe<Scalars['String']['input']>;
  dc?: InputMaybe<Scalars['String']['input']>;
}>;


export type StartConnectMutation = { __typename?: 'Mutation', startZohoConnect: { __typename?: 'ConnectStart', authorizeUrl: string, dc: string, expiresAt: any } };

export type ConnectWithGrantCodeMutationVariables = Exact<{
  code: Scalars['String']['input'];
  dc: Scalars['String']['input'];
}>;


export type ConnectWithGrantCodeMutation = { __typename?: 'Mutation', connectZohoWithGrantCode: { __typename?: 'Connection', dc: string, status: ConnectionStatus, email: string, orgId: string } };

export type DisconnectMutationVariables = Exact<{ [key: string]: never; }>;


export type DisconnectMutation = { __typename?: 'Mutation', disconnectZoho: boolean };

export type ConnectionStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type ConnectionStatusQuery = { __typename?: 'Query', connection?: { __typename?: 'Connection', name: string, status: ConnectionStatus, dc: string, apiDomain: string, scopes: Array<string>, zohoUserId: string, email: string, orgId: string, orgName: string, connectedAt: any, expiresAt: any } | null };

export type DataCentresQueryVariables = Exact<{ [key: string]: never; }>;


export type DataCentresQuery = { __typename?: 'Query', dataCentres: Array<{ __typename?: 'DataCentre', key: string, location: string, accountsServer: string, apiDomain: string, environment: ZohoEnvironment }> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me: { __typename?: 'ZohoUser', id: string, email: string, displayName: string, firstName?: string | null, lastName?: string | null, connection: { __typename?: 'Connection', dc: string, status: ConnectionStatus } } };

export type OrganizationQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, name: string, primaryEmail?: string | null, timeZone?: string | null, currency?: string | null, country?: string | null, domainName?: string | null, zgid?: string | null } };

export type UsersQueryVariables = Exact<{
  type?: InputMaybe<UserType>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
}>;


export type UsersQuery = { __typename?: 'Query', users: { __typename?: 'UserPage', count: number, page: number, perPage: number, moreRecords: boolean, users: Array<{ __typename?: 'User', id: string, fullName?: string | null, email?: string | null, status?: string | null, role?: { __typename?: 'NamedRef', id: string, name: string } | null, profile?: { __typename?: 'NamedRef', id: string, name: string } | null }> } };

export type ThreeUsersQueryVariables = Exact<{
  a: Scalars['ID']['input'];
  b: Scalars['ID']['input'];
  c: Scalars['ID']['input'];
}>;


export type ThreeUsersQuery = { __typename?: 'Query', a?: { __typename?: 'User', id: string, email?: string | null } | null, b?: { __typename?: 'User', id: string, email?: string | null } | null, c?: { __typename?: 'User', id: string, email?: string | null } | null };


export const StartConnectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartConnect"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"returnTo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dc"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startZohoConnect"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"returnTo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"returnTo"}}},{"kind":"Argument","name":{"kind":"Name","value":"dc"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dc"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authorizeUrl"}},{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<StartConnectMutation, StartConnectMutationVariables>;
export const ConnectWithGrantCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectWithGrantCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dc"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectZohoWithGrantCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}},{"kind":"Argument","name":{"kind":"Name","value":"dc"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dc"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"orgId"}}]}}]}}]} as unknown as DocumentNode<ConnectWithGrantCodeMutation, ConnectWithGrantCodeMutationVariables>;
export const DisconnectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Disconnect"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disconnectZoho"}}]}}]} as unknown as DocumentNode<DisconnectMutation, DisconnectMutationVariables>;
export const ConnectionStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConnectionStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"apiDomain"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"zohoUserId"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"orgId"}},{"kind":"Field","name":{"kind":"Name","value":"orgName"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<ConnectionStatusQuery, ConnectionStatusQueryVariables>;
export const DataCentresDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DataCentres"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dataCentres"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"accountsServer"}},{"kind":"Field","name":{"kind":"Name","value":"apiDomain"}},{"kind":"Field","name":{"kind":"Name","value":"environment"}}]}}]}}]} as unknown as DocumentNode<DataCentresQuery, DataCentresQueryVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const OrganizationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"domainName"}},{"kind":"Field","name":{"kind":"Name","value":"zgid"}}]}}]}}]} as unknown as DocumentNode<OrganizationQuery, OrganizationQueryVariables>;
export const UsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Users"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UserType"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"page"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}},{"kind":"Argument","name":{"kind":"Name","value":"page"},"value":{"kind":"Variable","name":{"kind":"Name","value":"page"}}},{"kind":"Argument","name":{"kind":"Name","value":"perPage"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"page"}},{"kind":"Field","name":{"kind":"Name","value":"perPage"}},{"kind":"Field","name":{"kind":"Name","value":"moreRecords"}},{"kind":"Field","name":{"kind":"Name","value":"users"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"role"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"profile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UsersQuery, UsersQueryVariables>;
export const ThreeUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ThreeUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"a"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"b"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"c"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"a"},"name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"a"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"b"},"name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"b"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"c"},"name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"c"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ThreeUsersQuery, ThreeUsersQueryVariables>;