// The reader for each container format.
import { readCsv } from './csvReader';
import type { ContainerFormat } from './detectFormat';
import { readJsonArray } from './jsonArrayReader';
import { readJsonDocument } from './jsonDocumentReader';
import { readJsonl } from './jsonlReader';
import type { RecordReader } from './readerTypes';

export const READERS: Record<ContainerFormat, RecordReader> = {
  jsonl: readJsonl,
  'json-array': readJsonArray,
  'json-document': readJsonDocument,
  csv: readCsv,
};
