using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Conformance.MariaDb;

// The conformance suite on MariaDB (SWITCHBOARD_TEST_MYSQL, driver mariadb): a database per store; required under CI.

public sealed class MariaDbFixture() : EngineFixture(new MariaDbEngine());

public sealed class MariaDbCrudTests(MariaDbFixture fixture) : CrudTests<MariaDbFixture>(fixture);

public sealed class MariaDbQueryTests(MariaDbFixture fixture) : QueryTests<MariaDbFixture>(fixture);

public sealed class MariaDbLongInListTests(MariaDbFixture fixture) : LongInListTests<MariaDbFixture>(fixture);

public sealed class MariaDbSetOperationTests(MariaDbFixture fixture) : SetOperationTests<MariaDbFixture>(fixture);

public sealed class MariaDbRawSqlTests(MariaDbFixture fixture) : RawSqlTests<MariaDbFixture>(fixture);

public sealed class MariaDbTransactionTests(MariaDbFixture fixture) : TransactionTests<MariaDbFixture>(fixture);

public sealed class MariaDbIsolationTests(MariaDbFixture fixture) : IsolationTests<MariaDbFixture>(fixture);

public sealed class MariaDbScopeTests(MariaDbFixture fixture) : ScopeTests<MariaDbFixture>(fixture);

public sealed class MariaDbTypeRoundTripTests(MariaDbFixture fixture) : TypeRoundTripTests<MariaDbFixture>(fixture);

public sealed class MariaDbConcurrencyTests(MariaDbFixture fixture) : ConcurrencyTests<MariaDbFixture>(fixture);

public sealed class MariaDbTransientErrorTests(MariaDbFixture fixture) : TransientErrorTests<MariaDbFixture>(fixture);

public sealed class MariaDbErrorReportingTests(MariaDbFixture fixture) : ErrorReportingTests<MariaDbFixture>(fixture);

public sealed class MariaDbMappingTests(MariaDbFixture fixture) : MappingTests<MariaDbFixture>(fixture);
[Collection(nameof(CopyTestsCollection))]
public sealed class MariaDbCopyTests(MariaDbFixture fixture) : CopyTests<MariaDbFixture>(fixture);

public sealed class MariaDbSyncOrAsyncTests(MariaDbFixture fixture) : SyncOrAsyncTests<MariaDbFixture>(fixture);
