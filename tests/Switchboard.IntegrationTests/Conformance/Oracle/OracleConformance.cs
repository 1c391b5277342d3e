using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Conformance.Oracle;

// The conformance suite on Oracle (SWITCHBOARD_TEST_ORACLE): a user per store; skips without a server or without an Oracle ADO.NET provider, even under CI.

public sealed class OracleFixture() : EngineFixture(new OracleEngine());

public sealed class OracleCrudTests(OracleFixture fixture) : CrudTests<OracleFixture>(fixture);

public sealed class OracleQueryTests(OracleFixture fixture) : QueryTests<OracleFixture>(fixture);

public sealed class OracleLongInListTests(OracleFixture fixture) : LongInListTests<OracleFixture>(fixture);

public sealed class OracleSetOperationTests(OracleFixture fixture) : SetOperationTests<OracleFixture>(fixture);

public sealed class OracleRawSqlTests(OracleFixture fixture) : RawSqlTests<OracleFixture>(fixture);

public sealed class OracleTransactionTests(OracleFixture fixture) : TransactionTests<OracleFixture>(fixture);

public sealed class OracleIsolationTests(OracleFixture fixture) : IsolationTests<OracleFixture>(fixture);

public sealed class OracleScopeTests(OracleFixture fixture) : ScopeTests<OracleFixture>(fixture);

public sealed class OracleTypeRoundTripTests(OracleFixture fixture) : TypeRoundTripTests<OracleFixture>(fixture);

public sealed class OracleConcurrencyTests(OracleFixture fixture) : ConcurrencyTests<OracleFixture>(fixture);

public sealed class OracleTransientErrorTests(OracleFixture fixture) : TransientErrorTests<OracleFixture>(fixture);

public sealed class OracleErrorReportingTests(OracleFixture fixture) : ErrorReportingTests<OracleFixture>(fixture);
