/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation StartConnect($returnTo: String, $dc: String) {\n  startZohoConnect(returnTo: $returnTo, dc: $dc) {\n    authorizeUrl\n    dc\n    expiresAt\n  }\n}\n\nmutation ConnectWithGrantCode($code: String!, $dc: String!) {\n  connectZohoWithGrantCode(code: $code, dc: $dc) {\n    dc\n    status\n    email\n    orgId\n  }\n}\n\nmutation Disconnect {\n  disconnectZoho\n}\n\nquery ConnectionStatus {\n  connection {\n    name\n    status\n    dc\n    apiDomain\n    scopes\n    zohoUserId\n    email\n    orgId\n    orgName\n    connectedAt\n    expiresAt\n  }\n}": typeof types.StartConnectDocument,
    "query DataCentres {\n  dataCentres {\n    key\n    location\n    accountsServer\n    apiDomain\n    environment\n  }\n}": typeof types.DataCentresDocument,
    "query Me {\n  me {\n    id\n    email\n    displayName\n    firstName\n    lastName\n    connection {\n      dc\n      status\n    }\n  }\n}\n\nquery Organization {\n  organization {\n    id\n    name\n    primaryEmail\n    timeZone\n    currency\n    country\n    domainName\n    zgid\n  }\n}\n\nquery Users($type: UserType, $page: Int, $perPage: Int) {\n  users(type: $type, page: $page, perPage: $perPage) {\n    count\n    page\n    perPage\n    moreRecords\n    users {\n      id\n      fullName\n      email\n      status\n      role {\n        id\n        name\n      }\n      profile {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery ThreeUsers($a: ID!, $b: ID!, $c: ID!) {\n  a: user(id: $a) {\n    id\n    email\n  }\n  b: user(id: $b) {\n    id\n    email\n  }\n  c: user(id: $c) {\n    id\n    email\n  }\n}": typeof types.MeDocument,
};
const documents: Documents = {
    "mutation StartConnect($returnTo: String, $dc: String) {\n  startZohoConnect(returnTo: $returnTo, dc: $dc) {\n    authorizeUrl\n    dc\n    expiresAt\n  }\n}\n\nmutation ConnectWithGrantCode($code: String!, $dc: String!) {\n  connectZohoWithGrantCode(code: $code, dc: $dc) {\n    dc\n    status\n    email\n    orgId\n  }\n}\n\nmutation Disconnect {\n  disconnectZoho\n}\n\nquery ConnectionStatus {\n  connection {\n    name\n    status\n    dc\n    apiDomain\n    scopes\n    zohoUserId\n    email\n    orgId\n    orgName\n    connectedAt\n    expiresAt\n  }\n}": types.StartConnectDocument,
    "query DataCentres {\n  dataCentres {\n    key\n    location\n    accountsServer\n    apiDomain\n    environment\n  }\n}": types.DataCentresDocument,
    "query Me {\n  me {\n    id\n    email\n    displayName\n    firstName\n    lastName\n    connection {\n      dc\n      status\n    }\n  }\n}\n\nquery Organization {\n  organization {\n    id\n    name\n    primaryEmail\n    timeZone\n    currency\n    country\n    domainName\n    zgid\n  }\n}\n\nquery Users($type: UserType, $page: Int, $perPage: Int) {\n  users(type: $type, page: $page, perPage: $perPage) {\n    count\n    page\n    perPage\n    moreRecords\n    users {\n      id\n      fullName\n      email\n      status\n      role {\n        id\n        name\n      }\n      profile {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery ThreeUsers($a: ID!, $b: ID!, $c: ID!) {\n  a: user(id: $a) {\n    id\n    email\n  }\n  b: user(id: $b) {\n    id\n    email\n  }\n  c: user(id: $c) {\n    id\n    email\n  }\n}": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartConnect($returnTo: String, $dc: String) {\n  startZohoConnect(returnTo: $returnTo, dc: $dc) {\n    authorizeUrl\n    dc\n    expiresAt\n  }\n}\n\nmutation ConnectWithGrantCode($code: String!, $dc: String!) {\n  connectZohoWithGrantCode(code: $code, dc: $dc) {\n    dc\n    status\n    email\n    orgId\n  }\n}\n\nmutation Disconnect {\n  disconnectZoho\n}\n\nquery ConnectionStatus {\n  connection {\n    name\n    status\n    dc\n    apiDomain\n    scopes\n    zohoUserId\n    email\n    orgId\n    orgName\n    connectedAt\n    expiresAt\n  }\n}"): (typeof documents)["mutation StartConnect($returnTo: String, $dc: String) {\n  startZohoConnect(returnTo: $returnTo, dc: $dc) {\n    authorizeUrl\n    dc\n    expiresAt\n  }\n}\n\nmutation ConnectWithGrantCode($code: String!, $dc: String!) {\n  connectZohoWithGrantCode(code: $code, dc: $dc) {\n    dc\n    status\n    email\n    orgId\n  }\n}\n\nmutation Disconnect {\n  disconnectZoho\n}\n\nquery ConnectionStatus {\n  connection {\n    name\n    status\n    dc\n    apiDomain\n    scopes\n    zohoUserId\n    email\n    orgId\n    orgName\n    connectedAt\n    expiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DataCentres {\n  dataCentres {\n    key\n    location\n    accountsServer\n    apiDomain\n    environment\n  }\n}"): (typeof documents)["query DataCentres {\n  dataCentres {\n    key\n    location\n    accountsServer\n    apiDomain\n    environment\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    email\n    displayName\n    firstName\n    lastName\n    connection {\n      dc\n      status\n    }\n  }\n}\n\nquery Organization {\n  organization {\n    id\n    name\n    primaryEmail\n    timeZone\n    currency\n    country\n    domainName\n    zgid\n  }\n}\n\nquery Users($type: UserType, $page: Int, $perPage: Int) {\n  users(type: $type, page: $page, perPage: $perPage) {\n    count\n    page\n    perPage\n    moreRecords\n    users {\n      id\n      fullName\n      email\n      status\n      role {\n        id\n        name\n      }\n      profile {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery ThreeUsers($a: ID!, $b: ID!, $c: ID!) {\n  a: user(id: $a) {\n    id\n    email\n  }\n  b: user(id: $b) {\n    id\n    email\n  }\n  c: user(id: $c) {\n    id\n    email\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    email\n    displayName\n    firstName\n    lastName\n    connection {\n      dc\n      status\n    }\n  }\n}\n\nquery Organization {\n  organization {\n    id\n    name\n    primaryEmail\n    timeZone\n    currency\n    country\n    domainName\n    zgid\n  }\n}\n\nquery Users($type: UserType, $page: Int, $perPage: Int) {\n  users(type: $type, page: $page, perPage: $perPage) {\n    count\n    page\n    perPage\n    moreRecords\n    users {\n      id\n      fullName\n      email\n      status\n      role {\n        id\n        name\n      }\n      profile {\n        id\n        name\n      }\n    }\n  }\n}\n\nquery ThreeUsers($a: ID!, $b: ID!, $c: ID!) {\n  a: user(id: $a) {\n    id\n    email\n  }\n  b: user(id: $b) {\n    id\n    email\n  }\n  c: user(id: $c) {\n    id\n    email\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;