using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Conformance.Sqlite;

// The conformance suite on SQLite: a temporary file per store; always runs.

public sealed class SqliteFixture() : EngineFixture(new SqliteEngine());

public sealed class SqliteCrudTests(SqliteFixture fixture) : CrudTests<SqliteFixture>(fixture);

public sealed class SqliteQueryTests(SqliteFixture fixture) : QueryTests<SqliteFixture>(fixture);

public sealed class SqliteLongInListTests(SqliteFixture fixture) : LongInListTests<SqliteFixture>(fixture);

public sealed class SqliteSetOperationTests(SqliteFixture fixture) : SetOperationTests<SqliteFixture>(fixture);

public sealed class SqliteRawSqlTests(SqliteFixture fixture) : RawSqlTests<SqliteFixture>(fixture);

public sealed class SqliteTransactionTests(SqliteFixture fixture) : TransactionTests<SqliteFixture>(fixture);

public sealed class SqliteIsolationTests(SqliteFixture fixture) : IsolationTests<SqliteFixture>(fixture);

public sealed class SqliteScopeTests(SqliteFixture fixture) : ScopeTests<SqliteFixture>(fixture);

public sealed class SqliteTypeRoundTripTests(SqliteFixture fixture) : TypeRoundTripTests<SqliteFixture>(fixture);

public sealed class SqliteConcurrencyTests(SqliteFixture fixture) : ConcurrencyTests<SqliteFixture>(fixture);

public sealed class SqliteErrorReportingTests(SqliteFixture fixture) : ErrorReportingTests<SqliteFixture>(fixture);

public sealed class SqliteMappingTests(SqliteFixture fixture) : MappingTests<SqliteFixture>(fixture);
[Collection(nameof(CopyTestsCollection))]
public sealed class SqliteCopyTests(SqliteFixture fixture) : CopyTests<SqliteFixture>(fixture);

public sealed class SqliteSyncOrAsyncTests(SqliteFixture fixture) : SyncOrAsyncTests<SqliteFixture>(fixture);
