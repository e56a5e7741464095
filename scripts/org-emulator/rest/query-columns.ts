import { SField, SObjectDef } from '../schema/model';
import { CompiledQuery, ResolvedPath } from '../soql/execute';
import { UserAccess } from '../security/access';

/**
 * `GET /query?q=…&columns=true`: the columns of a query instead of its rows. Salesforce does not
 * document this resource; the Developer Console and the sf CLI's `data query` (which reads
 * `columnMetadata` before printing any result) use it. The column shape follows the recorded answers
 * in salesforcecli/plugin-data's tests (test/test-files/queryFields.exemplars.ts): a relationship
 * path is a column named after the relationship, with `foreignKeyName` and the fields in `joinColumns`.
 * The top-level keys besides `columnMetadata` are the emulator's [EMU].
 */
interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Record<SField['type'], string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  email: 'String',
  url: 'String',
  phone: 'String',
  picklist: 'String',
  boolean: 'Boolean',
  double: 'Double',
  currency: 'Double',
  percent: 'Double',
  int: 'Integer',
  date: 'Date',
  datetime: 'Datetime',
};

function fieldColumn(obj: SObjectDef, f: SField, access: UserAccess): ColumnMetadata {
  const apexType = APEX_TYPES[f.type];
  const editable = access.fieldEditable(obj, f);
  return {
    aggregate: false,
    apexType,
    booleanType: apexType === 'Boolean',
    columnName: f.name,
    custom: f.custom,
    displayName: f.name,
    foreignKeyName: null,
    insertable: editable && f.createable,
    joinColumns: [],
    numberType: apexType === 'Double' || apexType === 'Integer',
    textType: apexType === 'String',
    updatable: editable && f.updateable,
  };
}

function relationshipColumn(name: string, ref: SField): ColumnMetadata {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: ref.custom,
    displayName: name,
    foreignKeyName: ref.name,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

/** Adds one selected path to a column list, sharing the relationship column with earlier paths through it. */
function addPath(columns: ColumnMetadata[], root: SObjectDef, path: ResolvedPath, access: UserAccess): void {
  let level = columns;
  let obj = root;
  path.hops.forEach((hop, i) => {
    const name = path.names[i];
    let rel = level.find((c) => c.foreignKeyName !== null && c.columnName === name);
    if (!rel) {
      rel = relationshipColumn(name, hop.ref);
      level.push(rel);
    }
    level = rel.joinColumns;
    obj = hop.target;
  });
  level.push(fieldColumn(obj, path.field, access));
}

/** The columns answer for a compiled query (COUNT() has no columns). */
export function queryColumns(compiled: CompiledQuery, access: UserAccess): Record<string, unknown> {
  const columnMetadata: ColumnMetadata[] = [];
  if (!compiled.query.count) for (const p of compiled.selected) addPath(columnMetadata, compiled.obj, p, access);
  return {
    columnMetadata,
    entityName: compiled.obj.name,
    groupBy: false,
    idSelected: compiled.selected.some((p) => p.hops.length === 0 && p.field.name === 'Id'),
    keyPrefix: compiled.obj.keyPrefix,
  };
}
