using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Conformance.PostgreSql;

// The conformance suite on PostgreSQL (SWITCHBOARD_TEST_POSTGRES): a schema per store; required under CI.

public sealed class PostgreSqlFixture() : EngineFixture(new PostgreSqlEngine());

public sealed class PostgreSqlCrudTests(PostgreSqlFixture fixture) : CrudTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlQueryTests(PostgreSqlFixture fixture) : QueryTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlLongInListTests(PostgreSqlFixture fixture) : LongInListTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlSetOperationTests(PostgreSqlFixture fixture) : SetOperationTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlRawSqlTests(PostgreSqlFixture fixture) : RawSqlTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlTransactionTests(PostgreSqlFixture fixture) : TransactionTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlIsolationTests(PostgreSqlFixture fixture) : IsolationTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlScopeTests(PostgreSqlFixture fixture) : ScopeTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlTypeRoundTripTests(PostgreSqlFixture fixture) : TypeRoundTripTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlConcurrencyTests(PostgreSqlFixture fixture) : ConcurrencyTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlTransientErrorTests(PostgreSqlFixture fixture) : TransientErrorTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlErrorReportingTests(PostgreSqlFixture fixture) : ErrorReportingTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlMappingTests(PostgreSqlFixture fixture) : MappingTests<PostgreSqlFixture>(fixture);
[Collection(nameof(CopyTestsCollection))]
public sealed class PostgreSqlCopyTests(PostgreSqlFixture fixture) : CopyTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlSyncOrAsyncTests(PostgreSqlFixture fixture) : SyncOrAsyncTests<PostgreSqlFixture>(fixture);
