// Each import adds one domain's types and fields to the builder.
import './scalars.js';
import './gateway.js';
import './connection.js';
import './me.js';
import './organization.js';
import './users.js';
import './records.js';
import './sync.js';
import './custom-views.js';
import './search.js';
import './coql.js';
import './mutations.js';
import './proxy.js';
import './record-operation.js';
import './watch.js';
import './export.js';
import './events.js';
import './typed-schema.js';
import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.js';

/** The gateway's schema, sorted so the printed SDL is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
