/**
 * Rows in clear, for tests and benchmarks only: the store as it was before encryption at rest (the plain fields of
 * every row, as written before schema version 5). `npm run bench:store` measures the cost of sealing against it, and
 * tests use it to make stores "from before". It lives under tests/ so that the app cannot use it: renderer/ may not
 * import tests/ (eslint.config.js), and `WorkstationStore.open` is given keys in the app.
 */
import type {
  DocUpdateRow,
  ProjectionStateRow,
  RecordBucketRow,
  ResidentBucketRow,
  ResidentKeysRow,
  SettingRow,
  StoredListHead,
} from '../../../../renderer/data/db';
import type { RowCodec } from '../../../../renderer/data/sealed';

function inClear<T>(value: T | undefined, what: string): Promise<T> {
  return value === undefined ? Promise.reject(new Error(`${what}: not in clear`)) : Promise.resolve(value);
}

export class PlainRows implements RowCodec {
  readonly seals = false;

  updateRow(docName: string, seq: number, update: Uint8Array, at: number): Promise<DocUpdateRow> {
    return Promise.resolve({ seq, docName, update, at });
  }

  openUpdate(row: DocUpdateRow): Promise<Uint8Array> {
    return inClear(row.update, `docUpdates ${row.docName}#${String(row.seq)}`);
  }

  residentBucket(docName: string, bucket: number, json: string): Promise<ResidentBucketRow> {
    return Promise.resolve({ docName, bucket, json });
  }

  openResidentBucket(row: ResidentBucketRow): Promise<string> {
    return inClear(row.json, `residentBuckets ${row.docName}#${row.bucket}`);
  }

  residentKeys(docName: string, bucket: number, json: string): Promise<ResidentKeysRow> {
    return Promise.resolve({ docName, bucket, json });
  }

  openResidentKeys(row: ResidentKeysRow): Promise<string> {
    return inClear(row.json, `residentKeys ${row.docName}#${row.bucket}`);
  }

  recordBucket(docName: string, collection: string, bucket: number, json: string): Promise<RecordBucketRow> {
    return Promise.resolve({ docName, collection, bucket, json });
  }

  openRecordBucket(row: RecordBucketRow): Promise<string> {
    return inClear(row.json, `recordBuckets ${row.docName}#${row.collection}#${row.bucket}`);
  }

  listHead(_docName: string, head: StoredListHead): Promise<Pick<ProjectionStateRow, 'head' | 'sealedHead'>> {
    return Promise.resolve({ head });
  }

  openListHead(row: ProjectionStateRow): Promise<StoredListHead | null> {
    return Promise.resolve(row.head ?? null);
  }

  setting(key: string, value: unknown): Promise<SettingRow> {
    return Promise.resolve({ key, value });
  }

  openSetting(row: SettingRow): Promise<unknown> {
    return Promise.resolve(row.value);
  }
}
