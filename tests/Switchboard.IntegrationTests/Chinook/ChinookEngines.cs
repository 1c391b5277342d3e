using Switchboard.IntegrationTests.Conformance.Engines;

namespace Switchboard.IntegrationTests.Chinook;

// The Chinook facts on every engine, one fixture and one line each.

public sealed class SqliteChinookFixture() : ChinookFixture(new SqliteEngine());

public sealed class SqliteChinookTests(SqliteChinookFixture fixture) : ChinookTests<SqliteChinookFixture>(fixture);

public sealed class PostgreSqlChinookFixture() : ChinookFixture(new PostgreSqlEngine());

public sealed class PostgreSqlChinookTests(PostgreSqlChinookFixture fixture) : ChinookTests<PostgreSqlChinookFixture>(fixture);

public sealed class MariaDbChinookFixture() : ChinookFixture(new MariaDbEngine());

public sealed class MariaDbChinookTests(MariaDbChinookFixture fixture) : ChinookTests<MariaDbChinookFixture>(fixture);

public sealed class SqlServerChinookFixture() : ChinookFixture(new SqlServerEngine());

public sealed class SqlServerChinookTests(SqlServerChinookFixture fixture) : ChinookTests<SqlServerChinookFixture>(fixture);

// Oracle folds the script's unquoted names to upper case (INVOICE.INVOICEID), which naming: auto finds in ALL_TAB_COLUMNS
// (proven by golden SQL in Switchboard.Tests, Providers/OracleCatalogMappingTests); this runs once an Oracle server is named.
public sealed class OracleChinookFixture() : ChinookFixture(new OracleEngine());

public sealed class OracleChinookTests(OracleChinookFixture fixture) : ChinookTests<OracleChinookFixture>(fixture);
