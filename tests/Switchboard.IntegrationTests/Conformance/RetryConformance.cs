using Switchboard.IntegrationTests.Conformance.MariaDb;
using Switchboard.IntegrationTests.Conformance.PostgreSql;

namespace Switchboard.IntegrationTests.Conformance;

public sealed class PostgreSqlRetryTests(PostgreSqlFixture fixture) : RetryTests<PostgreSqlFixture>(fixture);

public sealed class MariaDbRetryTests(MariaDbFixture fixture) : RetryTests<MariaDbFixture>(fixture);
