using Switchboard.IntegrationTests.Conformance.MariaDb;
using Switchboard.IntegrationTests.Conformance.PostgreSql;
using Switchboard.IntegrationTests.Conformance.Sqlite;

namespace Switchboard.IntegrationTests.Conformance;

public sealed class SqliteStatementErrorTests(SqliteFixture fixture) : StatementErrorTests<SqliteFixture>(fixture);

public sealed class PostgreSqlStatementErrorTests(PostgreSqlFixture fixture) : StatementErrorTests<PostgreSqlFixture>(fixture);

public sealed class MariaDbStatementErrorTests(MariaDbFixture fixture) : StatementErrorTests<MariaDbFixture>(fixture);
