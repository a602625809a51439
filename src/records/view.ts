import type { ZRecord } from './fields.js';

/** A record as resolvers see it: its module and Zoho's data. */
export interface RecordView {
  module: string;
  data: ZRecord;
}

export interface RecordPageView {
  nodes: RecordView[];
  hasNextPage: boolean;
  endCursor: string | null;
}
