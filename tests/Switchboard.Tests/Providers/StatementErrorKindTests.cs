using System.Data.Common;
using Switchboard.Dialects;
using Switchboard.MySql;
using Switchboard.Oracle;
using Switchboard.SqlServer;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// <see cref="StatementErrorKind"/> from each engine's error codes (issue 12 item 3): SQL Server and Oracle, which run no
/// server here, by their error-code tables; MySQL's constraint names from its messages; the standard SQLSTATE classes;
/// SQLite live.
/// </summary>
public class StatementErrorKindTests
{
    [Theory]
    [InlineData(2627, "Violation of UNIQUE KEY constraint 'UQ_users_email'. Cannot insert duplicate key in object 'dbo.users'. The duplicate key value is (a@b.c).", StatementErrorKind.UniqueViolation, "UQ_users_email")]
    [InlineData(2627, "Violation of PRIMARY KEY constraint 'PK_users'. Cannot insert duplicate key in object 'dbo.users'.", StatementErrorKind.UniqueViolation, "PK_users")]
    [InlineData(2601, "Cannot insert duplicate key row in object 'dbo.users' with unique index 'IX_users_name'. The duplicate key value is (x).", StatementErrorKind.UniqueViolation, "IX_users_name")]
    [InlineData(547, "The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_orders_users\". The conflict occurred in database \"app\", table \"dbo.users\", column 'id'.", StatementErrorKind.ForeignKeyViolation, "FK_orders_users")]
    [InlineData(547, "The DELETE statement conflicted with the REFERENCE constraint \"FK_orders_users\".", StatementErrorKind.ForeignKeyViolation, "FK_orders_users")]
    [InlineData(547, "The INSERT statement conflicted with the CHECK constraint \"CK_price\". The conflict occurred in database \"app\".", StatementErrorKind.CheckViolation, "CK_price")]
    [InlineData(515, "Cannot insert the value NULL into column 'name', table 'app.dbo.users'; column does not allow nulls. INSERT fails.", StatementErrorKind.NotNullViolation, null)]
    [InlineData(1205, "Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.", StatementErrorKind.Deadlock, null)]
    [InlineData(3960, "Snapshot isolation transaction aborted due to update conflict.", StatementErrorKind.SerializationFailure, null)]
    [InlineData(-2, "Execution Timeout Expired.", StatementErrorKind.Timeout, null)]
    [InlineData(1222, "Lock request time out period exceeded.", StatementErrorKind.Timeout, null)]
    [InlineData(102, "Incorrect syntax near 'SELEC'.", StatementErrorKind.Syntax, null)]
    [InlineData(208, "Invalid object name 'missing'.", StatementErrorKind.Syntax, null)]
    [InlineData(8134, "Divide by zero error encountered.", StatementErrorKind.Other, null)]
    public void SqlServer_ErrorNumbers_HaveTheirKind(int number, string message, StatementErrorKind kind, string? constraint)
    {
        var info = SqlServerErrors.Describe(number, message);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(number, info.ErrorNumber);
        Assert.Equal(constraint, info.ConstraintName);
        Assert.Null(info.SqlState);
    }

    [Theory]
    [InlineData("ORA-00001: unique constraint (APP.UQ_USERS_EMAIL) violated", StatementErrorKind.UniqueViolation, 1, "UQ_USERS_EMAIL")]
    [InlineData("ORA-02291: integrity constraint (APP.FK_ORDERS_USERS) violated - parent key not found", StatementErrorKind.ForeignKeyViolation, 2291, "FK_ORDERS_USERS")]
    [InlineData("ORA-02292: integrity constraint (APP.FK_ORDERS_USERS) violated - child record found", StatementErrorKind.ForeignKeyViolation, 2292, "FK_ORDERS_USERS")]
    [InlineData("ORA-01400: cannot insert NULL into (\"APP\".\"USERS\".\"NAME\")", StatementErrorKind.NotNullViolation, 1400, null)]
    [InlineData("ORA-02290: check constraint (APP.CK_PRICE) violated", StatementErrorKind.CheckViolation, 2290, "CK_PRICE")]
    [InlineData("ORA-00060: deadlock detected while waiting for resource", StatementErrorKind.Deadlock, 60, null)]
    [InlineData("ORA-08177: can't serialize access for this transaction", StatementErrorKind.SerializationFailure, 8177, null)]
    [InlineData("ORA-01013: user requested cancel of current operation", StatementErrorKind.Timeout, 1013, null)]
    [InlineData("ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired", StatementErrorKind.Timeout, 54, null)]
    [InlineData("ORA-00942: table or view does not exist", StatementErrorKind.Syntax, 942, null)]
    [InlineData("ORA-00933: SQL command not properly ended", StatementErrorKind.Syntax, 933, null)]
    [InlineData("ORA-01476: divisor is equal to zero", StatementErrorKind.Other, 1476, null)]
    public void Oracle_OraCodes_HaveTheirKind(string message, StatementErrorKind kind, int code, string? constraint)
    {
        var info = OracleErrors.Describe(new FakeDriverError(message));

        Assert.Equal(kind, info.Kind);
        Assert.Equal(code, info.ErrorNumber);
        Assert.Equal(constraint, info.ConstraintName);
    }

    [Theory]
    [InlineData(1062, "Duplicate entry 'a@b.c' for key 'users.uq_email'", StatementErrorKind.UniqueViolation, "uq_email")]
    [InlineData(1062, "Duplicate entry 'a@b.c' for key 'uq_email'", StatementErrorKind.UniqueViolation, "uq_email")]
    [InlineData(1452, "Cannot add or update a child row: a foreign key constraint fails (`app`.`orders`, CONSTRAINT `fk_orders_users` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`))", StatementErrorKind.ForeignKeyViolation, "fk_orders_users")]
    [InlineData(1451, "Cannot delete or update a parent row: a foreign key constraint fails (`app`.`orders`, CONSTRAINT `fk_orders_users` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`))", StatementErrorKind.ForeignKeyViolation, "fk_orders_users")]
    [InlineData(4025, "CONSTRAINT `ck_price` failed for `app`.`items`", StatementErrorKind.CheckViolation, "ck_price")]
    [InlineData(3819, "Check constraint 'ck_price' is violated.", StatementErrorKind.CheckViolation, "ck_price")]
    [InlineData(1048, "Column 'name' cannot be null", StatementErrorKind.NotNullViolation, null)]
    [InlineData(1213, "Deadlock found when trying to get lock; try restarting transaction", StatementErrorKind.Deadlock, null)]
    [InlineData(1205, "Lock wait timeout exceeded; try restarting transaction", StatementErrorKind.Timeout, null)]
    [InlineData(1064, "You have an error in your SQL syntax", StatementErrorKind.Syntax, null)]
    public void MySql_ErrorNumbers_HaveTheirKind_AndTheConstraintComesFromTheMessage(int number, string message, StatementErrorKind kind, string? constraint)
    {
        // The redacted copy of a driver exception keeps MySqlConnector's data, where the number is.
        var exception = new FakeDriverError(message);
        exception.Data["Server Error Code"] = number;

        var info = MySqlErrors.Describe(exception);

        Assert.Equal(kind, info.Kind);
        Assert.Equal(number, info.ErrorNumber);
        Assert.Equal(constraint, info.ConstraintName);
    }

    [Theory]
    [InlineData("23505", StatementErrorKind.UniqueViolation)]
    [InlineData("23503", StatementErrorKind.ForeignKeyViolation)]
    [InlineData("23502", StatementErrorKind.NotNullViolation)]
    [InlineData("23514", StatementErrorKind.CheckViolation)]
    [InlineData("40001", StatementErrorKind.SerializationFailure)]
    [InlineData("40P01", StatementErrorKind.Deadlock)]
    [InlineData("57014", StatementErrorKind.Timeout)]
    [InlineData("55P03", StatementErrorKind.Timeout)]
    [InlineData("42601", StatementErrorKind.Syntax)]
    [InlineData("42P01", StatementErrorKind.Syntax)]
    [InlineData("42501", StatementErrorKind.Other)]
    [InlineData("22012", StatementErrorKind.Other)]
    [InlineData(null, StatementErrorKind.Other)]
    public void StandardSqlStates_HaveTheirKind(string? sqlState, StatementErrorKind kind) =>
        Assert.Equal(kind, DriverErrors.KindOfSqlState(sqlState));

    [Fact]
    public void NetworkCause_IsFoundAnywhereBeneath_ButNotInTheExceptionItself()
    {
        Assert.True(DriverErrors.HasNetworkCause(new FakeDriverError("x", new InvalidOperationException("y", new IOException("reset")))));
        Assert.True(DriverErrors.HasNetworkCause(new FakeDriverError("x", new System.Net.Sockets.SocketException())));
        Assert.False(DriverErrors.HasNetworkCause(new IOException("itself")));
        Assert.False(DriverErrors.HasNetworkCause(new FakeDriverError("x")));
    }

    [Fact]
    public void Sqlite_ConstraintFailures_HaveTheirKind()
    {
        using var db = new TestDatabase();
        var connection = db.Registry.Configure("kinds", new ConnectionConfig { Driver = "sqlite", Database = db.File("kinds.db"), InitCommand = "PRAGMA foreign_keys = ON" });
        connection.Execute("CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, qty INTEGER CONSTRAINT positive_qty CHECK (qty >= 0))");
        connection.Execute("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p (id))");
        connection.Execute("INSERT INTO p VALUES (1, 'a', 1)");

        StatementException Fails(string sql) => Assert.Throws<StatementException>(() => connection.Execute(sql));

        Assert.Equal(StatementErrorKind.UniqueViolation, Fails("INSERT INTO p VALUES (2, 'a', 1)").Kind);
        Assert.Equal(StatementErrorKind.UniqueViolation, Fails("INSERT INTO p VALUES (1, 'b', 1)").Kind);
        Assert.Equal(StatementErrorKind.ForeignKeyViolation, Fails("INSERT INTO c VALUES (1, 42)").Kind);
        Assert.Equal(StatementErrorKind.NotNullViolation, Fails("INSERT INTO p VALUES (3, NULL, 1)").Kind);
        var check = Fails("INSERT INTO p VALUES (3, 'c', -1)");
        Assert.Equal(StatementErrorKind.CheckViolation, check.Kind);
        Assert.Equal("positive_qty", check.ConstraintName);
        Assert.Equal(275, check.ErrorNumber);
        Assert.Equal(StatementErrorKind.Syntax, Fails("SELEC 1").Kind);
        Assert.Equal(StatementErrorKind.Syntax, Fails("SELECT * FROM missing").Kind);
        Assert.Equal(StatementErrorKind.Other, Fails("SELECT json('{not json')").Kind);
    }

    [Fact]
    public void Sqlite_AWriterThatOutwaitsBusyTimeout_IsATimeout()
    {
        using var db = new TestDatabase();
        var config = new ConnectionConfig { Driver = "sqlite", Database = db.File("busy.db"), BusyTimeout = TimeSpan.FromMilliseconds(50) };
        var connection = db.Registry.Configure("busy", config);
        var other = db.Registry.Configure("busy_other", config);
        connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)");

        using var holder = new Transaction(connection);
        connection.Execute("INSERT INTO t VALUES (1, 5)");
        var busy = Assert.Throws<StatementException>(() => other.Execute("INSERT INTO t VALUES (2, 6)"));

        Assert.Equal(StatementErrorKind.Timeout, busy.Kind);
        Assert.Equal(5, busy.ErrorNumber);
        Assert.True(busy.IsTransient);
    }

    [Fact]
    public void TheDriversOwnIsTransient_IsHonoured_WhereTheProviderHasNoListForIt()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("own", new ConnectionConfig { Driver = driver.Name, Database = "fake" });
        driver.StatementFails = sql => sql.Contains("busy", StringComparison.Ordinal) ? new SelfTransientError("the server is busy; try again") : null;

        var error = Assert.Throws<StatementException>(() => connection.Execute("SELECT 'busy'"));

        Assert.True(error.IsTransient);
        Assert.False(driver.IsTransient(new FakeDriverError("the fake driver's own list knows nothing of it")));
        Assert.IsType<SelfTransientError>(error.InnerException);
    }

    private sealed class SelfTransientError(string message) : DbException(message)
    {
        public override bool IsTransient => true;
    }

    private sealed class FakeDriverError(string message, Exception? inner = null) : DbException(message, inner);
}
