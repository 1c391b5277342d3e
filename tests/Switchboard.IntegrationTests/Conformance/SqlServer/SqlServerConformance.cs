using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Conformance.SqlServer;

// The conformance suite on SQL Server (SWITCHBOARD_TEST_SQLSERVER): a database per store; skips without a server, even under CI.

public sealed class SqlServerFixture() : EngineFixture(new SqlServerEngine());

public sealed class SqlServerCrudTests(SqlServerFixture fixture) : CrudTests<SqlServerFixture>(fixture);

public sealed class SqlServerQueryTests(SqlServerFixture fixture) : QueryTests<SqlServerFixture>(fixture);

public sealed class SqlServerLongInListTests(SqlServerFixture fixture) : LongInListTests<SqlServerFixture>(fixture);

public sealed class SqlServerSetOperationTests(SqlServerFixture fixture) : SetOperationTests<SqlServerFixture>(fixture);

public sealed class SqlServerRawSqlTests(SqlServerFixture fixture) : RawSqlTests<SqlServerFixture>(fixture);

public sealed class SqlServerTransactionTests(SqlServerFixture fixture) : TransactionTests<SqlServerFixture>(fixture);

public sealed class SqlServerIsolationTests(SqlServerFixture fixture) : IsolationTests<SqlServerFixture>(fixture);

public sealed class SqlServerScopeTests(SqlServerFixture fixture) : ScopeTests<SqlServerFixture>(fixture);

public sealed class SqlServerTypeRoundTripTests(SqlServerFixture fixture) : TypeRoundTripTests<SqlServerFixture>(fixture);

public sealed class SqlServerConcurrencyTests(SqlServerFixture fixture) : ConcurrencyTests<SqlServerFixture>(fixture);

public sealed class SqlServerTransientErrorTests(SqlServerFixture fixture) : TransientErrorTests<SqlServerFixture>(fixture);

public sealed class SqlServerErrorReportingTests(SqlServerFixture fixture) : ErrorReportingTests<SqlServerFixture>(fixture);

public sealed class SqlServerMappingTests(SqlServerFixture fixture) : MappingTests<SqlServerFixture>(fixture);
