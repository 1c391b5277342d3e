using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Conformance.PgBouncer;

// The PostgreSQL conformance suite once more through PgBouncer in transaction mode (SWITCHBOARD_TEST_PGBOUNCER, started
// by scripts/test), with pooler: pgbouncer; required under CI.

public sealed class PgBouncerFixture() : EngineFixture(new PgBouncerEngine());

public sealed class PgBouncerCrudTests(PgBouncerFixture fixture) : CrudTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerQueryTests(PgBouncerFixture fixture) : QueryTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerLongInListTests(PgBouncerFixture fixture) : LongInListTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerRawSqlTests(PgBouncerFixture fixture) : RawSqlTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerTransactionTests(PgBouncerFixture fixture) : TransactionTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerIsolationTests(PgBouncerFixture fixture) : IsolationTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerScopeTests(PgBouncerFixture fixture) : ScopeTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerTypeRoundTripTests(PgBouncerFixture fixture) : TypeRoundTripTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerConcurrencyTests(PgBouncerFixture fixture) : ConcurrencyTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerTransientErrorTests(PgBouncerFixture fixture) : TransientErrorTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerErrorReportingTests(PgBouncerFixture fixture) : ErrorReportingTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerSavepointTests(PgBouncerFixture fixture) : SavepointTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerParameterTypeChangeTests(PgBouncerFixture fixture) : ParameterTypeChangeTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerDateTimeKindTests(PgBouncerFixture fixture) : DateTimeKindTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerValueRangeTests(PgBouncerFixture fixture) : ValueRangeTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerRandomRoundTripTests(PgBouncerFixture fixture) : RandomRoundTripTests<PgBouncerFixture>(fixture);

public sealed class PgBouncerEchoConformanceTests(PgBouncerFixture fixture) : EchoConformanceTests<PgBouncerFixture>(fixture);
