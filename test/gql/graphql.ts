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
};

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

/** Read a tenant’s Zoho CRM data. */
export type Query = {
  __typename?: 'Query';
  /** The Zoho data centres this gateway knows (built in, plus ZOHO_DATA_CENTERS). */
  dataCentres: Array<DataCentre>;
};

/** Zoho runs production, sandbox and developer environments in every data centre. */
export type ZohoEnvironment =
  | 'DEVELOPER'
  | 'PRODUCTION'
  | 'SANDBOX';

export type DataCentresQueryVariables = Exact<{ [key: string]: never; }>;


export type DataCentresQuery = { __typename?: 'Query', dataCentres: Array<{ __typename?: 'DataCentre', key: string, location: string, accountsServer: string, apiDomain: string, environment: ZohoEnvironment }> };


export const DataCentresDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DataCentres"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dataCentres"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"accountsServer"}},{"kind":"Field","name":{"kind":"Name","value":"apiDomain"}},{"kind":"Field","name":{"kind":"Name","value":"environment"}}]}}]}}]} as unknown as DocumentNode<DataCentresQuery, DataCentresQueryVariables>;