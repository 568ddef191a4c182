/**
 * Schema drift check: proves that a migrated PostgreSQL database has exactly the shape its
 * `schema.prisma` describes.
 *
 * Our migrations are hand-written SQL (Prisma Migrate cannot run everywhere we deploy), so nothing
 * else guarantees that `migration.sql` and `schema.prisma` agree. The expected shape is derived from
 * Prisma's own DMMF, translated with Prisma's PostgreSQL conventions (type mapping, default
 * rendering, constraint naming); the actual shape is read from pg_catalog. Both are reduced to the
 * same vocabulary and compared in both directions.
 */
import { readFile } from 'node:fs/promises';

import { getDMMF } from '@prisma/get-dmmf';

/** Anything that runs a parameterised query: a `pg.Pool`, a `pg.Client`, a PGlite instance. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface DiffSchemaOptions {
  /** Path to the domain's `schema.prisma`. */
  schemaPath: string;
  db: Queryable;
  /**
   * Tables that may exist in the database without being modelled (e.g. an outbox written with raw
   * SQL), as `name` or `schema.name`. A listed table that *is* modelled is still verified.
   * `_prisma_migrations` is always ignored.
   */
  ignoreTables?: string[];
  /** The PostgreSQL schema that models without `@@schema` live in. Defaults to `public`. */
  pgSchema?: string;
}

/**
 * Compares the database behind `db` with `schemaPath` and returns one human-readable line per
 * difference; an empty array means the database matches the schema exactly.
 *
 * Covered: tables, columns (type, nullability, default), primary keys, unique and plain indexes
 * (name, columns, order, method, operator class), foreign keys (columns, target, referential
 * actions), enums and their values, and anything extra in the database: tables, views, sequences
 * not owned by a column, check/exclusion constraints, triggers, enums, domains and composite types.
 * Objects that belong to an extension are not considered part of the schema.
 */
export async function diffSchemaAgainstDatabase(opts: DiffSchemaOptions): Promise<string[]> {
  const pgSchema = opts.pgSchema ?? 'public';
  const schemaText = await readFile(opts.schemaPath, 'utf8');
  const expected = describePrismaSchema(schemaText, opts.schemaPath, pgSchema);
  const actual = await describeDatabase(opts.db, expected.schemas, pgSchema);
  const ignored = new Set(['_prisma_migrations', ...(opts.ignoreTables ?? [])]);
  return compareSchemas(expected, actual, {
    pgSchema,
    isIgnored: (table) => ignored.has(table.name) || ignored.has(`${table.schema}.${table.name}`),
  });
}

// ---------------------------------------------------------------------------------------------
// Shared vocabulary
// ---------------------------------------------------------------------------------------------

interface Qualified {
  schema: string;
  name: string;
}

/** A default value reduced to its meaning, so `'WEB'` and `'WEB'::"DeviceType"` compare equal. */
type SqlValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'array'; items: SqlValue[] }
  | { kind: 'now' }
  | { kind: 'autoincrement' }
  | { kind: 'expression'; sql: string };

type ExpectedDefault =
  | { kind: 'none' }
  /** The DMMF hides the field's default (`@ignore`, `Unsupported` without dbgenerated). */
  | { kind: 'unchecked' }
  /** `dbgenerated()` without an expression: some default must exist, whatever it is. */
  | { kind: 'any' }
  | { kind: 'value'; value: SqlValue; sql: string };

interface ExpectedColumn {
  name: string;
  /** Short SQL type (`varchar(32)`, `timestamptz(3)`, `"Role"[]`); undefined when unknowable. */
  type: string | undefined;
  notNull: boolean;
  default: ExpectedDefault;
}

interface Key {
  name: string;
  columns: string[];
}

interface ExpectedTable extends Qualified {
  /** An `@@ignore`d model: Prisma still creates its table but the DMMF does not describe it. */
  opaque: boolean;
  columns: ExpectedColumn[];
  primaryKey: Key | undefined;
}

interface ExpectedIndexColumn {
  column: string;
  descending: boolean;
  operatorClass: string | undefined;
}

interface ExpectedIndex extends Qualified {
  table: string;
  unique: boolean;
  method: string;
  columns: ExpectedIndexColumn[];
}

interface ForeignKey extends Qualified {
  table: string;
  columns: string[];
  referenced: Qualified;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
  /** Properties Prisma never generates (DEFERRABLE, MATCH FULL); only ever set from the database. */
  qualifiers: string[];
}

interface EnumType extends Qualified {
  values: string[];
}

interface ExpectedSchema {
  tables: ExpectedTable[];
  indexes: ExpectedIndex[];
  foreignKeys: ForeignKey[];
  enums: EnumType[];
  /** Every PostgreSQL schema the Prisma schema places objects in. */
  schemas: string[];
}

type RelationKind = 'table' | 'view' | 'materialized view' | 'foreign table' | 'sequence';

interface DbColumn {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
}

interface DbRelation extends Qualified {
  kind: RelationKind;
  columns: Map<string, DbColumn>;
}

interface DbIndexColumn {
  /** Null for an expression column. */
  column: string | null;
  descending: boolean;
  nullsFirst: boolean;
  operatorClass: string;
  operatorClassIsDefault: boolean;
}

interface DbIndex extends Qualified {
  table: string;
  unique: boolean;
  primary: boolean;
  method: string;
  columns: DbIndexColumn[];
  include: string[];
  predicate: string | null;
  nullsNotDistinct: boolean;
  /** `p`, `u` or `x` when the index backs a constraint. */
  constraintType: string | null;
}

/** Something Prisma cannot model at all, so its mere presence is a difference. */
interface DbExtra {
  table: Qualified | undefined;
  describe: (label: (q: Qualified) => string) => string;
}

interface DatabaseSchema {
  relations: DbRelation[];
  indexes: DbIndex[];
  foreignKeys: ForeignKey[];
  enums: EnumType[];
  extras: DbExtra[];
}

// ---------------------------------------------------------------------------------------------
// Expected shape, from the DMMF
// ---------------------------------------------------------------------------------------------

type DmmfResult = ReturnType<typeof getDMMF>;
type DmmfDocument = Extract<DmmfResult, { datamodel: unknown }>;
type DmmfDatamodel = DmmfDocument['datamodel'];
type DmmfModel = DmmfDatamodel['models'][number];
type DmmfField = DmmfModel['fields'][number];
type DmmfEnum = DmmfDatamodel['enums'][number];

/** `@db.VarChar(32)` is `['VarChar', ['32']]`. */
type NativeType = readonly [string, readonly string[]];

interface ColumnTypeSource {
  kind: string;
  type: string;
  nativeType?: NativeType | null;
}

const PRISMA_SCALARS = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes']);

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/** Default generators that Prisma Client evaluates itself; they leave no database default. */
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

function describePrismaSchema(schemaText: string, schemaPath: string, pgSchema: string): ExpectedSchema {
  const result = getDMMF({ datamodel: schemaText });
  if (!('datamodel' in result)) {
    throw new Error(`${schemaPath} is not a valid Prisma schema: ${dmmfErrorMessage(result.error)}`);
  }
  const facts = scanSchemaText(schemaText);
  if (facts.provider !== undefined && facts.provider !== 'postgresql' && facts.provider !== 'postgres') {
    throw new Error(`${schemaPath} uses provider "${facts.provider}"; only PostgreSQL schemas can be checked`);
  }

  const { models, enums, indexes } = result.datamodel;
  const modelsByName = new Map(models.map((m) => [m.name, m]));
  const enumsByName = new Map(enums.map((e) => [e.name, e]));
  const schemaOf = (model: DmmfModel): string => model.schema ?? pgSchema;
  const tableOf = (model: DmmfModel): Qualified => ({ schema: schemaOf(model), name: model.dbName ?? model.name });
  const enumOf = (e: DmmfEnum): Qualified => ({ schema: facts.enumSchemas.get(e.name) ?? pgSchema, name: e.dbName ?? e.name });

  const columnOf = (model: DmmfModel, fieldName: string): string => {
    const field = model.fields.find((f) => f.name === fieldName);
    if (field) return field.dbName ?? field.name;
    // Fields the DMMF omits (@ignore, Unsupported) can still be indexed.
    return facts.models.get(model.name)?.fields.get(fieldName)?.column ?? fieldName;
  };

  const enumTypeName = (e: DmmfEnum): string => {
    const q = enumOf(e);
    return q.schema === pgSchema ? quoteIdent(q.name) : `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
  };

  const columnType = (source: ColumnTypeSource): string | undefined => {
    if (source.kind === 'enum') {
      const e = enumsByName.get(source.type);
      return e ? enumTypeName(e) : undefined;
    }
    return scalarSqlType(source.type, source.nativeType ?? undefined);
  };

  const tables: ExpectedTable[] = [];
  const expectedIndexes: ExpectedIndex[] = [];
  const foreignKeys: ForeignKey[] = [];

  for (const model of models) {
    const table = tableOf(model);
    const columns: ExpectedColumn[] = [];
    for (const field of model.fields) {
      if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
      const base = columnType(field);
      columns.push({
        name: field.dbName ?? field.name,
        type: base === undefined ? undefined : field.isList ? `${base}[]` : base,
        // Prisma renders scalar lists as nullable columns even when the field is required.
        notNull: field.isRequired && !field.isList,
        default: expectedDefault(field, enumsByName),
      });
    }
    const dmmfFieldNames = new Set(model.fields.map((f) => f.name));
    for (const scanned of facts.models.get(model.name)?.fields.values() ?? []) {
      if (dmmfFieldNames.has(scanned.name)) continue;
      const column = hiddenFieldColumn(scanned, enumsByName, columnType);
      if (column) columns.push(column);
    }

    let primaryKey: Key | undefined;
    for (const index of indexes) {
      if (index.model !== model.name) continue;
      const indexColumns = index.fields.map((f) => columnOf(model, f.name));
      if (index.type === 'id') {
        primaryKey = { name: pgIdentifier(index.dbName ?? primaryKeyName(table.name)), columns: indexColumns };
        continue;
      }
      const unique = index.type === 'unique';
      expectedIndexes.push({
        schema: table.schema,
        name: pgIdentifier(index.dbName ?? indexName(table.name, indexColumns, unique ? '_key' : '_idx')),
        table: table.name,
        unique,
        method: (index.algorithm ?? 'BTree').toLowerCase(),
        columns: index.fields.map((f, i) => ({
          column: indexColumns[i] ?? f.name,
          descending: f.sortOrder === 'desc',
          operatorClass: f.operatorClass,
        })),
      });
    }
    tables.push({ ...table, opaque: false, columns, primaryKey });

    if (facts.relationModePrisma) continue;
    for (const field of model.fields) {
      const from = field.relationFromFields ?? [];
      if (field.kind !== 'object' || from.length === 0) continue;
      const target = modelsByName.get(field.type);
      if (!target) continue;
      const fromColumns = from.map((name) => columnOf(model, name));
      const relationMap = facts.models.get(model.name)?.fields.get(field.name)?.relationMap;
      foreignKeys.push({
        schema: table.schema,
        name: pgIdentifier(relationMap ?? foreignKeyName(table.name, fromColumns)),
        table: table.name,
        columns: fromColumns,
        referenced: tableOf(target),
        referencedColumns: (field.relationToFields ?? []).map((name) => columnOf(target, name)),
        onDelete: referentialAction(field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')),
        onUpdate: referentialAction(field.relationOnUpdate ?? 'Cascade'),
        qualifiers: [],
      });
    }
  }

  for (const relation of implicitManyToManyRelations(models, modelsByName)) {
    const [a, b] = relation.models;
    const name = `_${relation.name}`;
    const schema = schemaOf(a);
    const idOf = (model: DmmfModel): DmmfField | undefined => model.fields.find((f) => f.isId);
    const joinColumn = (column: 'A' | 'B', model: DmmfModel): ExpectedColumn => {
      const id = idOf(model);
      return { name: column, type: id && columnType(id), notNull: true, default: { kind: 'none' } };
    };
    tables.push({
      schema,
      name,
      opaque: false,
      columns: [joinColumn('A', a), joinColumn('B', b)],
      primaryKey: { name: pgIdentifier(`${name}_AB_pkey`), columns: ['A', 'B'] },
    });
    expectedIndexes.push({
      schema,
      name: pgIdentifier(`${name}_B_index`),
      table: name,
      unique: false,
      method: 'btree',
      columns: [{ column: 'B', descending: false, operatorClass: undefined }],
    });
    if (facts.relationModePrisma) continue;
    for (const [column, model] of [['A', a], ['B', b]] as const) {
      const id = idOf(model);
      foreignKeys.push({
        schema,
        name: pgIdentifier(`${name}_${column}_fkey`),
        table: name,
        columns: [column],
        referenced: tableOf(model),
        referencedColumns: [id ? (id.dbName ?? id.name) : 'id'],
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
        qualifiers: [],
      });
    }
  }

  for (const [modelName, scanned] of facts.models) {
    if (!scanned.ignored || modelsByName.has(modelName)) continue;
    tables.push({
      schema: scanned.schema ?? pgSchema,
      name: scanned.table ?? modelName,
      opaque: true,
      columns: [],
      primaryKey: undefined,
    });
  }

  const enumTypes = enums.map((e) => ({ ...enumOf(e), values: e.values.map((v) => v.dbName ?? v.name) }));
  const schemas = new Set([pgSchema, ...tables.map((t) => t.schema), ...enumTypes.map((e) => e.schema)]);
  return { tables, indexes: expectedIndexes, foreignKeys, enums: enumTypes, schemas: [...schemas] };
}

/** The column of a field the DMMF leaves out (`@ignore` or `Unsupported(...)`), if it has one. */
function hiddenFieldColumn(
  field: ScannedField,
  enumsByName: Map<string, DmmfEnum>,
  columnType: (source: ColumnTypeSource) => string | undefined,
): ExpectedColumn | undefined {
  let type: string | undefined;
  if (field.unsupported !== undefined) {
    type = field.unsupported;
  } else if (PRISMA_SCALARS.has(field.type) || enumsByName.has(field.type)) {
    type = columnType({ kind: enumsByName.has(field.type) ? 'enum' : 'scalar', type: field.type, nativeType: field.nativeType });
  } else {
    // A relation (or model-typed) field: no column of its own.
    return undefined;
  }
  let defaultSpec: ExpectedDefault = { kind: 'none' };
  if (field.dbgenerated !== undefined) {
    defaultSpec = { kind: 'value', value: parseSqlValue(field.dbgenerated), sql: field.dbgenerated };
  } else if (field.hasDefault) {
    defaultSpec = { kind: 'unchecked' };
  }
  return {
    name: field.column ?? field.name,
    type: type !== undefined && field.list ? `${type}[]` : type,
    notNull: !field.optional && !field.list,
    default: defaultSpec,
  };
}

/** The SQL type Prisma's PostgreSQL connector creates for a scalar field, in short form. */
function scalarSqlType(prismaType: string, nativeType: NativeType | undefined): string | undefined {
  if (nativeType) {
    const [name, args] = nativeType;
    const withArgs = (base: string): string => (args.length > 0 ? `${base}(${args.join(',')})` : base);
    switch (name) {
      case 'Text':
        return 'text';
      case 'VarChar':
        return withArgs('varchar');
      case 'Char':
        return args.length > 0 ? withArgs('char') : 'char(1)';
      case 'Bit':
        return args.length > 0 ? withArgs('bit') : 'bit(1)';
      case 'VarBit':
        return withArgs('varbit');
      case 'Integer':
        return 'integer';
      case 'SmallInt':
        return 'smallint';
      case 'BigInt':
        return 'bigint';
      case 'Real':
        return 'real';
      case 'DoublePrecision':
        return 'double precision';
      case 'Decimal':
        return withArgs('numeric');
      case 'Timestamp':
        return withArgs('timestamp');
      case 'Timestamptz':
        return withArgs('timestamptz');
      case 'Time':
        return withArgs('time');
      case 'Timetz':
        return withArgs('timetz');
      case 'ByteA':
        return 'bytea';
      default:
        // Uuid, Xml, Inet, Citext, Money, Oid, Date, Json, JsonB, Boolean: the lower-cased name.
        return withArgs(name.toLowerCase());
    }
  }
  switch (prismaType) {
    case 'String':
      return 'text';
    case 'Int':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Float':
      return 'double precision';
    case 'Decimal':
      return 'numeric(65,30)';
    case 'Boolean':
      return 'boolean';
    case 'DateTime':
      return 'timestamp(3)';
    case 'Json':
      return 'jsonb';
    case 'Bytes':
      return 'bytea';
    default:
      return undefined;
  }
}

function expectedDefault(field: DmmfField, enumsByName: Map<string, DmmfEnum>): ExpectedDefault {
  const spec = field.default;
  if (!field.hasDefaultValue || spec === undefined) return { kind: 'none' };

  const enumValue = (name: string): string => {
    const e = enumsByName.get(field.type);
    const value = e?.values.find((v) => v.name === name);
    return value?.dbName ?? name;
  };
  const literal = (value: string | number | boolean): SqlValue => {
    if (typeof value === 'boolean') return { kind: 'boolean', value };
    if (typeof value === 'number') return { kind: 'number', text: String(value) };
    return { kind: 'string', value: field.kind === 'enum' ? enumValue(value) : value };
  };
  const withSql = (value: SqlValue, sql = renderSqlValue(value)): ExpectedDefault => ({ kind: 'value', value, sql });

  if (typeof spec !== 'object') return withSql(literal(spec));
  // Array.isArray does not narrow readonly arrays.
  if (!('name' in spec)) return withSql({ kind: 'array', items: spec.map(literal) });

  const args = spec.args;
  switch (spec.name) {
    case 'now':
      return withSql({ kind: 'now' });
    case 'autoincrement':
      return withSql({ kind: 'autoincrement' });
    case 'dbgenerated': {
      const expression = args[0];
      if (typeof expression !== 'string' || expression.trim() === '') return { kind: 'any' };
      return withSql(parseSqlValue(expression), expression);
    }
    default:
      if (CLIENT_SIDE_DEFAULTS.has(spec.name)) return { kind: 'none' };
      // A generator this checker does not know: demand that a default exists rather than guess.
      return { kind: 'any' };
  }
}

interface ManyToManyRelation {
  name: string;
  /** Ordered as Prisma orders them: column A references the model whose name sorts first. */
  models: [DmmfModel, DmmfModel];
}

function implicitManyToManyRelations(models: readonly DmmfModel[], modelsByName: Map<string, DmmfModel>): ManyToManyRelation[] {
  const relations = new Map<string, ManyToManyRelation>();
  for (const model of models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.isList || (field.relationFromFields?.length ?? 0) > 0) continue;
      const relationName = field.relationName;
      const other = modelsByName.get(field.type);
      if (!relationName || !other || relations.has(relationName)) continue;
      const back = other.fields.find((f) => f !== field && f.kind === 'object' && f.relationName === relationName);
      if (!back?.isList) continue;
      const pair = [model, other].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) as [DmmfModel, DmmfModel];
      relations.set(relationName, { name: relationName, models: pair });
    }
  }
  return [...relations.values()];
}

function referentialAction(prismaAction: string): string {
  return REFERENTIAL_ACTIONS[prismaAction] ?? prismaAction.toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Prisma's constraint naming (psl-core ConstraintNames, PostgreSQL identifier limit)
// ---------------------------------------------------------------------------------------------

const PG_MAX_IDENTIFIER_BYTES = 63;

function primaryKeyName(table: string): string {
  return `${truncateBytes(table, PG_MAX_IDENTIFIER_BYTES - '_pkey'.length)}_pkey`;
}

function indexName(table: string, columns: readonly string[], suffix: '_key' | '_idx'): string {
  return `${truncateBytes(`${table}_${columns.join('_')}`, PG_MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
}

function foreignKeyName(table: string, columns: readonly string[]): string {
  return `${truncateBytes(`${table}_${columns.join('_')}`, PG_MAX_IDENTIFIER_BYTES - '_fkey'.length)}_fkey`;
}

/** PostgreSQL silently truncates longer identifiers, so the database can only ever hold this. */
function pgIdentifier(name: string): string {
  return truncateBytes(name, PG_MAX_IDENTIFIER_BYTES);
}

function truncateBytes(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let out = '';
  let bytes = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the DMMF leaves out, recovered from the schema text
// ---------------------------------------------------------------------------------------------

interface ScannedField {
  name: string;
  type: string;
  unsupported: string | undefined;
  optional: boolean;
  list: boolean;
  ignored: boolean;
  column: string | undefined;
  nativeType: [string, string[]] | undefined;
  relationMap: string | undefined;
  hasDefault: boolean;
  dbgenerated: string | undefined;
}

interface ScannedModel {
  table: string | undefined;
  schema: string | undefined;
  ignored: boolean;
  fields: Map<string, ScannedField>;
}

interface SchemaTextFacts {
  provider: string | undefined;
  relationModePrisma: boolean;
  models: Map<string, ScannedModel>;
  enumSchemas: Map<string, string>;
}

const PRISMA_STRING = String.raw`"((?:[^"\\]|\\.)*)"`;

/**
 * The DMMF omits `@@ignore`d models, `@ignore`d and `Unsupported(...)` fields, relation `map:`
 * names, enum `@@schema` and the datasource settings. The schema has already been validated by the
 * DMMF call, and Prisma's grammar puts each field and block attribute on its own line, so a
 * line-oriented scan is enough to recover those.
 */
function scanSchemaText(text: string): SchemaTextFacts {
  const facts: SchemaTextFacts = { provider: undefined, relationModePrisma: false, models: new Map(), enumSchemas: new Map() };
  let block: { keyword: string; name: string; model?: ScannedModel } | undefined;

  for (const rawLine of text.split(/\r?\n/)) {
    const line = stripLineComment(rawLine).trim();
    if (line === '') continue;
    if (!block) {
      const open = /^(model|view|enum|type|datasource|generator)\s+(\w+)\s*\{$/.exec(line);
      if (open?.[1] && open[2]) {
        block = { keyword: open[1], name: open[2] };
        if (open[1] === 'model') {
          block.model = { table: undefined, schema: undefined, ignored: false, fields: new Map() };
          facts.models.set(open[2], block.model);
        }
      }
      continue;
    }
    if (line === '}') {
      block = undefined;
      continue;
    }

    if (block.keyword === 'datasource') {
      const setting = new RegExp(String.raw`^(\w+)\s*=\s*${PRISMA_STRING}$`).exec(line);
      if (setting?.[1] === 'provider') facts.provider = unescapePrismaString(setting[2] ?? '');
      if (setting?.[1] === 'relationMode') facts.relationModePrisma = unescapePrismaString(setting[2] ?? '') === 'prisma';
    } else if (block.keyword === 'enum') {
      const schema = blockAttributeString(line, 'schema');
      if (schema !== undefined) facts.enumSchemas.set(block.name, schema);
    } else if (block.model) {
      scanModelLine(line, block.model);
    }
  }
  return facts;
}

function scanModelLine(line: string, model: ScannedModel): void {
  if (line.startsWith('@@')) {
    if (/^@@ignore\b/.test(line)) model.ignored = true;
    model.table = blockAttributeString(line, 'map') ?? model.table;
    model.schema = blockAttributeString(line, 'schema') ?? model.schema;
    return;
  }
  const field = new RegExp(String.raw`^(\w+)\s+(?:Unsupported\(\s*${PRISMA_STRING}\s*\)|(\w+(?:\.\w+)?))(\[\]|\?)?(.*)$`).exec(line);
  if (!field?.[1]) return;
  const attributes = field[5] ?? '';
  const native = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(attributes);
  const dbgenerated = new RegExp(String.raw`@default\(\s*dbgenerated\(\s*${PRISMA_STRING}\s*\)\s*\)`).exec(attributes);
  const column = new RegExp(String.raw`(?:^|[^@\w])@map\(\s*(?:name\s*:\s*)?${PRISMA_STRING}`).exec(attributes);
  const relationArgs = balancedArguments(attributes, '@relation(');
  const relationMap = relationArgs && new RegExp(String.raw`\bmap\s*:\s*${PRISMA_STRING}`).exec(relationArgs);

  model.fields.set(field[1], {
    name: field[1],
    type: field[3] ?? 'Unsupported',
    unsupported: field[2] === undefined ? undefined : unescapePrismaString(field[2]),
    optional: field[4] === '?',
    list: field[4] === '[]',
    ignored: /(?:^|[^@\w])@ignore\b/.test(attributes),
    column: column?.[1] === undefined ? undefined : unescapePrismaString(column[1]),
    nativeType: native?.[1]
      ? [
          native[1],
          (native[2] ?? '')
            .split(',')
            .map((arg) => arg.trim().replace(/^"|"$/g, ''))
            .filter((arg) => arg !== ''),
        ]
      : undefined,
    relationMap: relationMap?.[1] === undefined ? undefined : unescapePrismaString(relationMap[1]),
    hasDefault: /@default\(/.test(attributes),
    dbgenerated: dbgenerated?.[1] === undefined ? undefined : unescapePrismaString(dbgenerated[1]),
  });
}

function blockAttributeString(line: string, attribute: string): string | undefined {
  const match = new RegExp(String.raw`^@@${attribute}\(\s*(?:name\s*:\s*)?${PRISMA_STRING}`).exec(line);
  return match?.[1] === undefined ? undefined : unescapePrismaString(match[1]);
}

/** The text between `opener` (which ends in `(`) and its matching `)`, skipping string contents. */
function balancedArguments(text: string, opener: string): string | undefined {
  const start = text.indexOf(opener);
  if (start < 0) return undefined;
  let depth = 1;
  let inString = false;
  for (let i = start + opener.length; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return text.slice(start + opener.length, i);
  }
  return undefined;
}

function stripLineComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

function unescapePrismaString(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

// ---------------------------------------------------------------------------------------------
// Actual shape, from pg_catalog
// ---------------------------------------------------------------------------------------------

const IN_SCHEMAS = 'IN (SELECT jsonb_array_elements_text($1::jsonb))';

function notExtensionMember(catalog: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
    WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;
}

const RELATIONS_SQL = `
SELECT n.nspname AS "schema", c.relname AS "name", c.relkind AS "kind"
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname ${IN_SCHEMAS}
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
  -- serial and identity columns own their sequences; those are part of the column's default.
  AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
    WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid
      AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype IN ('a', 'i')))
ORDER BY n.nspname, c.relname`;

const COLUMNS_SQL = `
SELECT n.nspname AS "schema", c.relname AS "table", a.attname AS "name",
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS "formattedType",
       t.typcategory = 'A' AND t.typelem <> 0 AS "isArray",
       bt.typtype AS "baseKind", btn.nspname AS "baseSchema", bt.typname AS "baseName",
       a.attnotnull AS "notNull",
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS "default",
       a.attidentity AS "identity", a.attgenerated AS "generated"
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace btn ON btn.oid = bt.typnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname ${IN_SCHEMAS}
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY n.nspname, c.relname, a.attnum`;

// indnullsnotdistinct only exists from PostgreSQL 15; reading it through to_jsonb keeps older
// servers working.
const INDEXES_SQL = `
SELECT n.nspname AS "schema", t.relname AS "table", i.relname AS "name",
       ix.indisunique AS "unique", ix.indisprimary AS "primary", am.amname AS "method",
       ix.indnkeyatts AS "keyCount",
       pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS "predicate",
       coalesce((to_jsonb(ix) ->> 'indnullsnotdistinct')::boolean, false) AS "nullsNotDistinct",
       con.contype AS "constraintType",
       coalesce((
         SELECT json_agg(json_build_object(
                  'column', a.attname,
                  'option', opt.value,
                  'operatorClass', opc.opcname,
                  'operatorClassIsDefault', opc.opcdefault) ORDER BY k.ord)
         FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
         LEFT JOIN unnest(ix.indoption::int2[]) WITH ORDINALITY AS opt(value, ord) ON opt.ord = k.ord
         LEFT JOIN unnest(ix.indclass::oid[]) WITH ORDINALITY AS cls(oid, ord) ON cls.ord = k.ord
         LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = cls.oid
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
       ), '[]'::json) AS "columns"
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = i.relam
LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x')
WHERE n.nspname ${IN_SCHEMAS}
  AND t.relkind IN ('r', 'p', 'm')
  AND ${notExtensionMember('pg_catalog.pg_class', 't.oid')}
ORDER BY n.nspname, t.relname, i.relname`;

const FOREIGN_KEYS_SQL = `
SELECT n.nspname AS "schema", c.relname AS "table", con.conname AS "name",
       rn.nspname AS "referencedSchema", rc.relname AS "referencedTable",
       con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate",
       con.condeferrable AS "deferrable", con.condeferred AS "deferred", con.confmatchtype AS "matchType",
       (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS "columns",
       (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS "referencedColumns"
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND n.nspname ${IN_SCHEMAS}
ORDER BY n.nspname, c.relname, con.conname`;

const OTHER_CONSTRAINTS_SQL = `
SELECT n.nspname AS "schema", c.relname AS "table", con.conname AS "name", con.contype AS "type",
       pg_catalog.pg_get_constraintdef(con.oid) AS "definition"
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('c', 'x') AND n.nspname ${IN_SCHEMAS}
ORDER BY n.nspname, c.relname, con.conname`;

const TRIGGERS_SQL = `
SELECT n.nspname AS "schema", c.relname AS "table", tg.tgname AS "name"
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND n.nspname ${IN_SCHEMAS}
ORDER BY n.nspname, c.relname, tg.tgname`;

const TYPES_SQL = `
SELECT n.nspname AS "schema", t.typname AS "name", t.typtype AS "kind",
       (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) AS "values"
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname ${IN_SCHEMAS}
  AND (t.typtype IN ('e', 'd', 'r')
       OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
  AND ${notExtensionMember('pg_catalog.pg_type', 't.oid')}
ORDER BY n.nspname, t.typname`;

interface RelationRow {
  schema: string;
  name: string;
  kind: string;
}

interface ColumnRow {
  schema: string;
  table: string;
  name: string;
  formattedType: string;
  isArray: boolean;
  baseKind: string;
  baseSchema: string;
  baseName: string;
  notNull: boolean;
  default: string | null;
  identity: string;
  generated: string;
}

interface IndexRow {
  schema: string;
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  method: string;
  keyCount: number | string;
  predicate: string | null;
  nullsNotDistinct: boolean;
  constraintType: string | null;
  columns: unknown;
}

interface IndexColumnRow {
  column: string | null;
  option: number | null;
  operatorClass: string | null;
  operatorClassIsDefault: boolean | null;
}

interface ForeignKeyRow {
  schema: string;
  table: string;
  name: string;
  referencedSchema: string;
  referencedTable: string;
  onDelete: string;
  onUpdate: string;
  deferrable: boolean;
  deferred: boolean;
  matchType: string;
  columns: unknown;
  referencedColumns: unknown;
}

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: string;
  definition: string;
}

interface TriggerRow {
  schema: string;
  table: string;
  name: string;
}

interface TypeRow {
  schema: string;
  name: string;
  kind: string;
  values: unknown;
}

const RELATION_KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'table',
  f: 'foreign table',
  v: 'view',
  m: 'materialized view',
  S: 'sequence',
};

const CATALOG_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const TYPE_KINDS: Record<string, string> = { d: 'domain', r: 'range type', c: 'composite type' };

async function describeDatabase(db: Queryable, schemas: string[], pgSchema: string): Promise<DatabaseSchema> {
  const params = [JSON.stringify(schemas)];
  // Sequential on purpose: a single pg.Client or PGlite instance serialises queries anyway, and
  // callers may run this inside a transaction on one connection.
  const relationRows = (await db.query<RelationRow>(RELATIONS_SQL, params)).rows;
  const columnRows = (await db.query<ColumnRow>(COLUMNS_SQL, params)).rows;
  const indexRows = (await db.query<IndexRow>(INDEXES_SQL, params)).rows;
  const foreignKeyRows = (await db.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, params)).rows;
  const constraintRows = (await db.query<ConstraintRow>(OTHER_CONSTRAINTS_SQL, params)).rows;
  const triggerRows = (await db.query<TriggerRow>(TRIGGERS_SQL, params)).rows;
  const typeRows = (await db.query<TypeRow>(TYPES_SQL, params)).rows;

  const relations = new Map<string, DbRelation>();
  for (const row of relationRows) {
    relations.set(qualifiedKey(row), { schema: row.schema, name: row.name, kind: RELATION_KINDS[row.kind] ?? 'table', columns: new Map() });
  }
  for (const row of columnRows) {
    relations.get(qualifiedKey({ schema: row.schema, name: row.table }))?.columns.set(row.name, {
      name: row.name,
      type: databaseColumnType(row, pgSchema),
      notNull: row.notNull,
      default: databaseColumnDefault(row),
    });
  }

  const indexes = indexRows.map((row): DbIndex => {
    const columns = jsonValue<IndexColumnRow[]>(row.columns) ?? [];
    const keyCount = Number(row.keyCount);
    return {
      schema: row.schema,
      name: row.name,
      table: row.table,
      unique: row.unique,
      primary: row.primary,
      method: row.method,
      // indoption bit 0 is DESC, bit 1 is NULLS FIRST.
      columns: columns.slice(0, keyCount).map((c) => ({
        column: c.column,
        descending: ((c.option ?? 0) & 1) !== 0,
        nullsFirst: ((c.option ?? 0) & 2) !== 0,
        operatorClass: c.operatorClass ?? '',
        operatorClassIsDefault: c.operatorClassIsDefault ?? true,
      })),
      include: columns.slice(keyCount).map((c) => c.column ?? '(expression)'),
      predicate: row.predicate,
      nullsNotDistinct: row.nullsNotDistinct,
      constraintType: row.constraintType,
    };
  });

  const foreignKeys = foreignKeyRows.map((row): ForeignKey => {
    const qualifiers: string[] = [];
    if (row.matchType === 'f') qualifiers.push('MATCH FULL');
    if (row.deferrable) qualifiers.push(row.deferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE');
    return {
      schema: row.schema,
      name: row.name,
      table: row.table,
      columns: jsonValue<string[]>(row.columns) ?? [],
      referenced: { schema: row.referencedSchema, name: row.referencedTable },
      referencedColumns: jsonValue<string[]>(row.referencedColumns) ?? [],
      onDelete: CATALOG_ACTIONS[row.onDelete] ?? row.onDelete,
      onUpdate: CATALOG_ACTIONS[row.onUpdate] ?? row.onUpdate,
      qualifiers,
    };
  });

  const extras: DbExtra[] = [];
  for (const row of constraintRows) {
    const kind = row.type === 'x' ? 'exclusion constraint' : 'check constraint';
    extras.push({
      table: { schema: row.schema, name: row.table },
      describe: (label) =>
        `table ${label({ schema: row.schema, name: row.table })}: ${kind} ${quoteIdent(row.name)} exists in the database but not in schema.prisma (${row.definition})`,
    });
  }
  for (const row of triggerRows) {
    extras.push({
      table: { schema: row.schema, name: row.table },
      describe: (label) =>
        `table ${label({ schema: row.schema, name: row.table })}: trigger ${quoteIdent(row.name)} exists in the database but not in schema.prisma`,
    });
  }

  const enums: EnumType[] = [];
  for (const row of typeRows) {
    if (row.kind === 'e') {
      enums.push({ schema: row.schema, name: row.name, values: jsonValue<string[]>(row.values) ?? [] });
      continue;
    }
    extras.push({
      table: undefined,
      describe: (label) => `${TYPE_KINDS[row.kind] ?? 'type'} ${label(row)} exists in the database but not in schema.prisma`,
    });
  }

  return { relations: [...relations.values()], indexes, foreignKeys, enums, extras };
}

function databaseColumnType(row: ColumnRow, pgSchema: string): string {
  const suffix = row.isArray ? '[]' : '';
  if (row.baseKind === 'e') {
    const name = quoteIdent(row.baseName);
    return `${row.baseSchema === pgSchema ? name : `${quoteIdent(row.baseSchema)}.${name}`}${suffix}`;
  }
  if (row.baseSchema === 'pg_catalog') return shortSqlType(row.formattedType);
  // format_type() qualifies types outside the search_path; the qualification is noise here.
  return shortSqlType(row.formattedType.replace(/^(?:"(?:[^"]|"")+"|[^".\s]+)\./, ''));
}

function databaseColumnDefault(row: ColumnRow): string | null {
  if (row.identity === 'a') return 'GENERATED ALWAYS AS IDENTITY';
  if (row.identity === 'd') return 'GENERATED BY DEFAULT AS IDENTITY';
  if (row.generated === 's') return `GENERATED ALWAYS AS (${row.default ?? ''}) STORED`;
  return row.default;
}

/** node-postgres and PGlite parse json columns; other drivers may hand back the text. */
function jsonValue<T>(value: unknown): T | undefined {
  if (value === null || value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

interface CompareContext {
  pgSchema: string;
  isIgnored: (table: Qualified) => boolean;
}

function compareSchemas(expected: ExpectedSchema, actual: DatabaseSchema, ctx: CompareContext): string[] {
  const label = (q: Qualified): string =>
    q.schema === ctx.pgSchema ? quoteIdent(q.name) : `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
  const out: string[] = [];

  compareEnums(expected.enums, actual.enums, label, out);

  // Only tables present on both sides have their contents compared: a missing or extra table is
  // one difference, not one per column, index and key.
  const comparable = new Set<string>();
  const relationsByKey = new Map(actual.relations.map((r) => [qualifiedKey(r), r]));
  const expectedKeys = new Set(expected.tables.map(qualifiedKey));

  for (const table of expected.tables) {
    const relation = relationsByKey.get(qualifiedKey(table));
    if (!relation) {
      out.push(`table ${label(table)} is missing from the database`);
    } else if (relation.kind !== 'table') {
      out.push(`table ${label(table)} is a ${relation.kind} in the database but a table in schema.prisma`);
    } else if (!table.opaque) {
      comparable.add(qualifiedKey(table));
      compareColumns(table, relation, label, out);
    }
  }
  for (const relation of actual.relations) {
    if (expectedKeys.has(qualifiedKey(relation)) || ctx.isIgnored(relation)) continue;
    out.push(`${relation.kind} ${label(relation)} exists in the database but not in schema.prisma`);
  }

  const inScope = (schema: string, table: string): boolean => comparable.has(qualifiedKey({ schema, name: table }));

  comparePrimaryKeys(
    expected.tables.filter((t) => comparable.has(qualifiedKey(t))),
    actual.indexes.filter((i) => i.primary && inScope(i.schema, i.table)),
    label,
    out,
  );
  compareIndexes(
    expected.indexes.filter((i) => inScope(i.schema, i.table)),
    actual.indexes.filter((i) => !i.primary && i.constraintType !== 'x' && inScope(i.schema, i.table)),
    label,
    out,
  );
  compareForeignKeys(
    expected.foreignKeys.filter((fk) => inScope(fk.schema, fk.table)),
    actual.foreignKeys.filter((fk) => inScope(fk.schema, fk.table)),
    label,
    out,
  );

  for (const extra of actual.extras) {
    if (extra.table && !inScope(extra.table.schema, extra.table.name)) continue;
    out.push(extra.describe(label));
  }
  return out;
}

function compareEnums(expected: EnumType[], actual: EnumType[], label: (q: Qualified) => string, out: string[]): void {
  const actualByKey = new Map(actual.map((e) => [qualifiedKey(e), e]));
  const expectedKeys = new Set(expected.map(qualifiedKey));
  const values = (list: string[]): string => list.map(quoteLiteral).join(', ');
  for (const e of expected) {
    const found = actualByKey.get(qualifiedKey(e));
    if (!found) {
      out.push(`enum ${label(e)} is missing from the database`);
    } else if (found.values.join('\u0000') !== e.values.join('\u0000')) {
      out.push(`enum ${label(e)} has values ${values(found.values)} in the database but ${values(e.values)} in schema.prisma`);
    }
  }
  for (const e of actual) {
    if (!expectedKeys.has(qualifiedKey(e))) out.push(`enum ${label(e)} exists in the database but not in schema.prisma`);
  }
}

function compareColumns(table: ExpectedTable, relation: DbRelation, label: (q: Qualified) => string, out: string[]): void {
  const prefix = `table ${label(table)}: column`;
  const expectedNames = new Set(table.columns.map((c) => c.name));
  const nullability = (notNull: boolean): string => (notNull ? 'NOT NULL' : 'nullable');

  for (const column of table.columns) {
    const actual = relation.columns.get(column.name);
    const name = quoteIdent(column.name);
    if (!actual) {
      out.push(`${prefix} ${name} is missing from the database`);
      continue;
    }
    if (column.type !== undefined && normalizeSqlText(shortSqlType(column.type)) !== normalizeSqlText(actual.type)) {
      out.push(`${prefix} ${name} is ${actual.type} in the database but ${column.type} in schema.prisma`);
    }
    if (column.notNull !== actual.notNull) {
      out.push(`${prefix} ${name} is ${nullability(actual.notNull)} in the database but ${nullability(column.notNull)} in schema.prisma`);
    }
    const defaultDifference = compareDefault(column, actual);
    if (defaultDifference) out.push(`${prefix} ${name} ${defaultDifference}`);
  }
  for (const actual of relation.columns.values()) {
    if (!expectedNames.has(actual.name)) {
      out.push(`${prefix} ${quoteIdent(actual.name)} exists in the database but not in schema.prisma`);
    }
  }
}

function compareDefault(column: ExpectedColumn, actual: DbColumn): string | undefined {
  const spec = column.default;
  switch (spec.kind) {
    case 'unchecked':
      return undefined;
    case 'none':
      return actual.default === null ? undefined : `has default ${actual.default} in the database but none in schema.prisma`;
    case 'any':
      return actual.default === null ? 'has no default in the database but schema.prisma declares one' : undefined;
    case 'value': {
      if (actual.default === null) return `has no default in the database but ${spec.sql} in schema.prisma`;
      const valueClass = classifyType(column.type ?? actual.type);
      const same = valueKey(parseSqlValue(actual.default), valueClass) === valueKey(spec.value, valueClass);
      return same ? undefined : `has default ${actual.default} in the database but ${spec.sql} in schema.prisma`;
    }
  }
}

function comparePrimaryKeys(tables: ExpectedTable[], actual: DbIndex[], label: (q: Qualified) => string, out: string[]): void {
  const actualByTable = new Map(actual.map((i) => [qualifiedKey({ schema: i.schema, name: i.table }), i]));
  const render = (key: Key): string => `${quoteIdent(key.name)} (${key.columns.map(quoteIdent).join(', ')})`;
  for (const table of tables) {
    const found = actualByTable.get(qualifiedKey(table));
    const actualKey: Key | undefined = found && { name: found.name, columns: found.columns.map((c) => c.column ?? '(expression)') };
    const expectedKey = table.primaryKey;
    if (!expectedKey && !actualKey) continue;
    const prefix = `table ${label(table)}: primary key`;
    if (!actualKey) out.push(`${prefix} ${render(expectedKey!)} is missing from the database`);
    else if (!expectedKey) out.push(`${prefix} ${render(actualKey)} exists in the database but not in schema.prisma`);
    else if (render(actualKey) !== render(expectedKey)) {
      out.push(`${prefix} is ${render(actualKey)} in the database but ${render(expectedKey)} in schema.prisma`);
    }
  }
}

function compareIndexes(expected: ExpectedIndex[], actual: DbIndex[], label: (q: Qualified) => string, out: string[]): void {
  const tableOf = (i: { schema: string; table: string }): string => label({ schema: i.schema, name: i.table });
  const renderExpected = (i: ExpectedIndex): string =>
    renderIndex(i.unique, tableOf(i), i.method, i.columns.map((c) => `${quoteIdent(c.column)}${c.descending ? ' DESC' : ''}${c.operatorClass ? ` ${c.operatorClass}` : ''}`), []);
  const renderActual = (i: DbIndex): string => {
    const suffixes: string[] = [];
    if (i.include.length > 0) suffixes.push(`INCLUDE (${i.include.map(quoteIdent).join(', ')})`);
    if (i.nullsNotDistinct) suffixes.push('NULLS NOT DISTINCT');
    if (i.predicate) suffixes.push(`WHERE ${i.predicate}`);
    const columns = i.columns.map((c) => {
      let text = c.column === null ? '(expression)' : quoteIdent(c.column);
      if (c.descending) text += ' DESC';
      // PostgreSQL's default is NULLS LAST for ASC and NULLS FIRST for DESC; Prisma never overrides it.
      if (c.nullsFirst !== c.descending) text += c.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
      if (!c.operatorClassIsDefault) text += ` ${c.operatorClass}`;
      return text;
    });
    return renderIndex(i.unique, tableOf(i), i.method, columns, suffixes);
  };

  matchByNameThenDefinition(expected, actual, indexMatches, {
    differs: (e, a) => `index ${label(e)} is ${renderActual(a)} in the database but ${renderExpected(e)} in schema.prisma`,
    renamed: (e, a) => `index ${label(e)} is named ${label(a)} in the database (${renderExpected(e)})`,
    missing: (e) => `index ${label(e)} is missing from the database (schema.prisma declares ${renderExpected(e)})`,
    extra: (a) => `index ${label(a)} exists in the database but not in schema.prisma (${renderActual(a)})`,
  }, out);
}

function renderIndex(unique: boolean, table: string, method: string, columns: string[], suffixes: string[]): string {
  const using = method === 'btree' ? '' : ` USING ${method}`;
  return [`${unique ? 'UNIQUE ' : ''}INDEX ON ${table}${using} (${columns.join(', ')})`, ...suffixes].join(' ');
}

function indexMatches(e: ExpectedIndex, a: DbIndex): boolean {
  if (e.schema !== a.schema || e.table !== a.table || e.unique !== a.unique || e.method !== a.method) return false;
  if (a.predicate || a.nullsNotDistinct || a.include.length > 0 || e.columns.length !== a.columns.length) return false;
  return e.columns.every((ec, i) => {
    const ac = a.columns[i];
    if (!ac || ac.column !== ec.column || ac.descending !== ec.descending || ac.nullsFirst !== ac.descending) return false;
    // Prisma spells operator classes in PascalCase (JsonbPathOps) or raw (jsonb_path_ops).
    const opclass = (name: string): string => name.replace(/_/g, '').toLowerCase();
    return ec.operatorClass === undefined ? ac.operatorClassIsDefault : opclass(ec.operatorClass) === opclass(ac.operatorClass);
  });
}

function compareForeignKeys(expected: ForeignKey[], actual: ForeignKey[], label: (q: Qualified) => string, out: string[]): void {
  const render = (fk: ForeignKey): string =>
    [
      `FOREIGN KEY (${fk.columns.map(quoteIdent).join(', ')}) REFERENCES ${label(fk.referenced)}(${fk.referencedColumns.map(quoteIdent).join(', ')})`,
      `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
      ...fk.qualifiers,
    ].join(' ');
  const prefix = (fk: ForeignKey): string => `table ${label({ schema: fk.schema, name: fk.table })}: foreign key`;

  matchByNameThenDefinition(expected, actual, (e, a) => e.schema === a.schema && e.table === a.table && render(e) === render(a), {
    differs: (e, a) => `${prefix(e)} ${quoteIdent(e.name)} is ${render(a)} in the database but ${render(e)} in schema.prisma`,
    renamed: (e, a) => `${prefix(e)} ${quoteIdent(e.name)} is named ${quoteIdent(a.name)} in the database (${render(e)})`,
    missing: (e) => `${prefix(e)} ${quoteIdent(e.name)} is missing from the database (schema.prisma declares ${render(e)})`,
    extra: (a) => `${prefix(a)} ${quoteIdent(a.name)} exists in the database but not in schema.prisma (${render(a)})`,
  }, out);
}

interface MatchMessages<E, A> {
  differs: (expected: E, actual: A) => string;
  renamed: (expected: E, actual: A) => string;
  missing: (expected: E) => string;
  extra: (actual: A) => string;
}

/**
 * Pairs objects by schema-qualified name; whatever is left is paired by definition so that a
 * renamed index or key is reported as a rename rather than as one missing plus one extra object.
 */
function matchByNameThenDefinition<E extends Qualified, A extends Qualified>(
  expected: E[],
  actual: A[],
  sameDefinition: (e: E, a: A) => boolean,
  messages: MatchMessages<E, A>,
  out: string[],
): void {
  const actualByName = new Map(actual.map((a) => [qualifiedKey(a), a]));
  const unmatched = new Set(actual);
  const unnamed: E[] = [];
  for (const e of expected) {
    const a = actualByName.get(qualifiedKey(e));
    if (!a) {
      unnamed.push(e);
      continue;
    }
    unmatched.delete(a);
    if (!sameDefinition(e, a)) out.push(messages.differs(e, a));
  }
  for (const e of unnamed) {
    const a = [...unmatched].find((candidate) => sameDefinition(e, candidate));
    if (a) {
      unmatched.delete(a);
      out.push(messages.renamed(e, a));
    } else {
      out.push(messages.missing(e));
    }
  }
  for (const a of unmatched) out.push(messages.extra(a));
}

// ---------------------------------------------------------------------------------------------
// SQL text: types, literals, default expressions
// ---------------------------------------------------------------------------------------------

/** `character varying(32)` → `varchar(32)`, `timestamp(3) with time zone` → `timestamptz(3)`, … */
function shortSqlType(type: string): string {
  return type
    .replace(/\bcharacter varying\b/g, 'varchar')
    .replace(/\bcharacter\b/g, 'char')
    .replace(/\bbit varying\b/g, 'varbit')
    .replace(/\btimestamp(\(\d+\))? with time zone\b/g, 'timestamptz$1')
    .replace(/\btimestamp(\(\d+\))? without time zone\b/g, 'timestamp$1')
    .replace(/\btime(\(\d+\))? with time zone\b/g, 'timetz$1')
    .replace(/\btime(\(\d+\))? without time zone\b/g, 'time$1');
}

type ValueClass = 'number' | 'json' | 'datetime' | 'bytes' | 'boolean' | 'text';

function classifyType(type: string): ValueClass {
  const base = type.replace(/(\[\])+$/, '');
  if (/^(smallint|integer|bigint|numeric|real|double precision|money|oid)\b/.test(base)) return 'number';
  if (/^jsonb?$/.test(base)) return 'json';
  if (/^(timestamptz|timestamp|date|timetz|time)\b/.test(base)) return 'datetime';
  if (base === 'bytea') return 'bytes';
  if (base === 'boolean') return 'boolean';
  return 'text';
}

// One cast, e.g. ::text, ::"Role"[], ::character varying, ::public."Role", ::numeric(10,2)
const CAST = String.raw`::(?:"(?:[^"]|"")+"|[A-Za-z_][\w ]*?)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_]\w*))?(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*`;
const STRING_LITERAL = new RegExp(String.raw`^[Ee]?'((?:[^']|'')*)'((?:${CAST})*)$`, 's');
const NUMBER_LITERAL = new RegExp(String.raw`^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:${CAST})*$`);
const BOOLEAN_LITERAL = new RegExp(String.raw`^(true|false)(?:${CAST})*$`, 'i');
const CASTS_ONLY = new RegExp(String.raw`^(?:${CAST})*$`);

/**
 * Reads a default expression as written by Prisma or as printed by pg_get_expr(), which differ in
 * casts and spacing (`'WEB'` vs `'WEB'::"DeviceType"`, `ARRAY['USER']::"Role"[]` vs
 * `ARRAY['USER'::"Role"]`, `-1` vs `'-1'::integer`).
 */
function parseSqlValue(raw: string): SqlValue {
  const text = stripOuterParentheses(raw.trim());
  if (/^(current_timestamp|now\(\))$/i.test(text)) return { kind: 'now' };
  if (/^nextval\('(?:[^']|'')+'(?:::regclass)?\)$/i.test(text)) return { kind: 'autoincrement' };

  const bool = BOOLEAN_LITERAL.exec(text);
  if (bool?.[1]) return { kind: 'boolean', value: bool[1].toLowerCase() === 'true' };
  const number = NUMBER_LITERAL.exec(text);
  if (number?.[1]) return { kind: 'number', text: number[1] };

  const string = STRING_LITERAL.exec(text);
  if (string?.[1] !== undefined) {
    const value = string[1].replace(/''/g, "'");
    const casts = string[2] ?? '';
    // '{a,b}'::text[] is the text form of an array.
    if (casts.endsWith('[]') && value.startsWith('{') && value.endsWith('}')) {
      return { kind: 'array', items: splitArrayText(value.slice(1, -1)).map((item) => ({ kind: 'string', value: item })) };
    }
    return { kind: 'string', value };
  }

  if (/^ARRAY\[/i.test(text)) {
    const close = matchingBracket(text, 'ARRAY'.length);
    if (close > 0 && CASTS_ONLY.test(text.slice(close + 1))) {
      const body = text.slice('ARRAY['.length, close).trim();
      return { kind: 'array', items: body === '' ? [] : splitTopLevel(body, ',').map(parseSqlValue) };
    }
  }
  return { kind: 'expression', sql: text };
}

function renderSqlValue(value: SqlValue): string {
  switch (value.kind) {
    case 'string':
      return quoteLiteral(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'array':
      return `ARRAY[${value.items.map(renderSqlValue).join(', ')}]`;
    case 'now':
      return 'CURRENT_TIMESTAMP';
    case 'autoincrement':
      return 'autoincrement()';
    case 'expression':
      return value.sql;
  }
}

/** A comparison key that is equal for equivalent defaults of a column of the given class. */
function valueKey(value: SqlValue, valueClass: ValueClass): string {
  switch (value.kind) {
    case 'string':
      return literalKey(value.value, valueClass);
    case 'number':
      return valueClass === 'text' ? `s:${value.text}` : `n:${canonicalNumber(value.text) ?? value.text}`;
    case 'boolean':
      return `b:${value.value}`;
    case 'array':
      return `a:[${value.items.map((item) => valueKey(item, valueClass)).join(',')}]`;
    case 'now':
    case 'autoincrement':
      return value.kind;
    case 'expression':
      return `x:${normalizeSqlText(value.sql)}`;
  }
}

function literalKey(text: string, valueClass: ValueClass): string {
  switch (valueClass) {
    case 'number': {
      const number = canonicalNumber(text);
      if (number !== undefined) return `n:${number}`;
      break;
    }
    case 'json':
      try {
        return `j:${canonicalJson(JSON.parse(text))}`;
      } catch {
        break;
      }
    case 'datetime': {
      const instant = parseTimestamp(text);
      if (instant !== undefined) return `d:${instant}`;
      break;
    }
    case 'bytes':
      return `h:${text.startsWith('\\x') ? text.slice(2).toLowerCase() : Buffer.from(text, 'base64').toString('hex')}`;
    case 'boolean':
      if (/^(t|true|f|false)$/i.test(text)) return `b:${/^t/i.test(text)}`;
      break;
    case 'text':
      break;
  }
  return `s:${text}`;
}

function canonicalNumber(text: string): string | undefined {
  const match = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!match || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) return undefined;
  if (match[4] !== undefined) {
    const value = Number(text);
    return Number.isFinite(value) ? String(value) : undefined;
  }
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const body = fraction ? `${integer}.${fraction}` : integer;
  return body === '0' || match[1] !== '-' ? body : `-${body}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseTimestamp(text: string): number | undefined {
  let iso = text.trim().replace(/^(\d{4}-\d{2}-\d{2})[ T]/, '$1T').replace(/\s*([+-]\d{2})(?::?(\d{2}))?$/, (_, h: string, m?: string) => `${h}:${m ?? '00'}`);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(iso)) iso += 'Z';
  const instant = Date.parse(iso);
  return Number.isNaN(instant) ? undefined : instant;
}

/** Lower-cases and collapses whitespace outside quotes so that formatting differences vanish. */
function normalizeSqlText(sql: string): string {
  let out = '';
  let quote: string | undefined;
  let pendingSpace = false;
  for (const char of stripOuterParentheses(sql.trim())) {
    if (quote) {
      out += char;
      if (char === quote) quote = undefined;
      continue;
    }
    if (/\s/.test(char)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out !== '' && /[\w'"]$/.test(out) && /[\w'"]/.test(char)) out += ' ';
    pendingSpace = false;
    if (char === "'" || char === '"') quote = char;
    out += char.toLowerCase();
  }
  return out;
}

function stripOuterParentheses(text: string): string {
  let current = text;
  // Only strip parentheses that enclose everything: "(a) + (b)" must stay as it is.
  while (current.startsWith('(') && matchingBracket(current, 0) === current.length - 1) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

/** Index of the bracket closing the `(` or `[` at `open`, ignoring quoted text; -1 if unbalanced. */
function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[') depth++;
    else if ((char === ')' || char === ']') && --depth === 0) return i;
  }
  return -1;
}

/** Splits on `separator` where it is outside quotes, parentheses and brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === separator && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts;
}

/** Elements of a PostgreSQL array literal body (`a,"b c",d`), one dimension. */
function splitArrayText(body: string): string[] {
  if (body.trim() === '') return [];
  return splitTopLevel(body, ',').map((item) =>
    item.startsWith('"') && item.endsWith('"') ? item.slice(1, -1).replace(/\\(.)/g, '$1') : item,
  );
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function qualifiedKey(q: Qualified): string {
  return `${q.schema}\u0000${q.name}`;
}

/** The WASM engine reports errors as JSON with ANSI-coloured text inside. */
function dmmfErrorMessage(error: Error): string {
  let message = error.message;
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Not JSON: use the message as it is.
  }
  // eslint-disable-next-line no-control-regex
  return message.replace(/\u001b\[[0-9;]*m/g, '');
}
