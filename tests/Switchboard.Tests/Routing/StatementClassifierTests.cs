using Switchboard.Dialects;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

/// <summary>Raw SQL is told read from write by tokens: comments and strings never hide a write or invent one.</summary>
public class StatementClassifierTests
{
    private const SqlLexicon PostgreSql = SqlLexicon.DollarQuotes | SqlLexicon.NestedBlockComments;
    private const SqlLexicon MySql = SqlLexicon.HashComments | SqlLexicon.BacktickQuotes | SqlLexicon.BackslashEscapes | SqlLexicon.ExecutableComments;

    public static TheoryData<string, bool> PostgreSqlStatements => new()
    {
        { "SELECT 1", true },
        { "select * from users where id = $1", true },
        { "  \n\tSELECT name FROM users", true },
        { "(SELECT 1) UNION (SELECT 2)", true },
        { "WITH t AS (SELECT 1 AS x) SELECT x FROM t", true },
        { "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r", true },
        { "SHOW search_path", true },
        { "EXPLAIN SELECT * FROM users", true },
        { "EXPLAIN DELETE FROM users", true },
        { "EXPLAIN ANALYZE SELECT * FROM users", true },
        { "EXPLAIN (ANALYZE, BUFFERS) SELECT 1", true },
        { "EXPLAIN ANALYZE DELETE FROM users", false },
        { "EXPLAIN (ANALYZE) UPDATE users SET name = 'x'", false },
        { "EXPLAIN (ANALYZE false) DELETE FROM users", true },
        { "VALUES (1, 'a'), (2, 'b')", true },
        { "TABLE users", true },
        { "SELECT pg_is_in_recovery()", true },
        { "SELECT 'DELETE FROM users' AS text", true },
        { "SELECT $$ INSERT INTO t VALUES (1) $$", true },
        { "SELECT $body$ UPDATE t SET x = 1; $body$", true },
        { "SELECT E'it\\'s; DELETE FROM users'", true },
        { "SELECT 1 -- ; DELETE FROM users", true },
        { "SELECT 1 /* outer /* nested; DELETE */ still comment; DROP TABLE t */", true },
        { "SELECT \"update\" FROM t", true },
        { "SELECT * FROM jobs FOR UPDATE", false },
        { "SELECT * FROM jobs WHERE state = 'new' LIMIT 1 FOR UPDATE SKIP LOCKED", false },
        { "SELECT * FROM jobs FOR SHARE", false },
        { "SELECT * FROM jobs FOR NO KEY UPDATE", false },
        { "SELECT * FROM jobs FOR KEY SHARE", false },
        { "SELECT * FROM (SELECT * FROM jobs FOR UPDATE) j", false },
        { "WITH moved AS (DELETE FROM jobs RETURNING *) SELECT * FROM moved", false },
        { "WITH n AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM n", false },
        { "WITH u AS (UPDATE t SET x = 1 RETURNING *) SELECT count(*) FROM u", false },
        { "WITH m AS (MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE) SELECT 1", false },
        { "SELECT * INTO backup FROM users", false },
        { "SELECT nextval('users_id_seq')", false },
        { "SELECT setval('users_id_seq', 10)", false },
        { "SELECT pg_catalog.nextval('s')", false },
        { "SELECT pg_advisory_lock(42)", false },
        { "SELECT pg_try_advisory_xact_lock(42)", false },
        { "SELECT pg_advisory_unlock_all()", false },
        { "SELECT pg_notify('channel', 'x')", false },
        { "SELECT set_config('search_path', 'x', false)", false },
        { "SELECT 1; SELECT 2", false },
        { "SELECT 1; DELETE FROM users", false },
        { "SELECT 1;", true },
        { "SELECT 1 ; -- trailing comment", true },
        { "INSERT INTO users (name) VALUES ('a')", false },
        { "UPDATE users SET name = 'b'", false },
        { "DELETE FROM users", false },
        { "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", false },
        { "CREATE TABLE t (id int)", false },
        { "DROP TABLE t", false },
        { "TRUNCATE users", false },
        { "BEGIN", false },
        { "SET search_path TO x", false },
        { "LOCK TABLE users", false },
        { "CALL do_things()", false },
        { "DO $$ BEGIN PERFORM 1; END $$", false },
        { "COPY users TO STDOUT", false },
        { "VACUUM users", false },
        { "-- only a comment", false },
        { "", false },
        { "SELECT 'unterminated", false },
        { "SELECT 1 /* unterminated", false },
        { "SELECT $$ unterminated", false },
        { "/* DELETE */ SELECT 1", true },
    };

    public static TheoryData<string, bool> MySqlStatements => new()
    {
        { "SELECT 1", true },
        { "select * from `users` where id = @id", true },
        { "SELECT `delete` FROM t", true },
        { "SELECT 'it\\'s; DELETE FROM users'", true },
        { "SELECT \"a\\\"; DELETE FROM t\"", true },
        { "SELECT 1 # ; DELETE FROM users", true },
        { "SELECT 1 -- ; DELETE FROM users", true },
        { "SELECT 5--1; DELETE FROM users", false },
        { "SELECT 1 /* ; DELETE FROM users */", true },
        { "SELECT 1 /*! ; DELETE FROM users */", false },
        { "SELECT 1 /*!50000 FOR UPDATE */", false },
        { "SHOW TABLES", true },
        { "SHOW SLAVE STATUS", true },
        { "SHOW VARIABLES LIKE 'read_only'", true },
        { "EXPLAIN SELECT * FROM users", true },
        { "EXPLAIN FORMAT=JSON SELECT * FROM users", true },
        { "EXPLAIN DELETE FROM users", true },
        { "EXPLAIN ANALYZE SELECT * FROM users", true },
        { "EXPLAIN ANALYZE DELETE FROM users", false },
        { "WITH t AS (SELECT 1 AS x) SELECT x FROM t", true },
        { "VALUES ROW(1, 2)", true },
        { "TABLE users", true },
        { "(SELECT 1) UNION ALL (SELECT 2)", true },
        { "SELECT @@gtid_slave_pos", true },
        { "SELECT * FROM jobs FOR UPDATE", false },
        { "SELECT * FROM jobs FOR UPDATE SKIP LOCKED", false },
        { "SELECT * FROM jobs FOR SHARE", false },
        { "SELECT * FROM jobs LOCK IN SHARE MODE", false },
        { "SELECT * FROM jobs WHERE id = 1 lock in share mode", false },
        { "SELECT GET_LOCK('job', 10)", false },
        { "SELECT RELEASE_LOCK('job')", false },
        { "SELECT RELEASE_ALL_LOCKS()", false },
        { "SELECT NEXTVAL(s)", false },
        { "SELECT SETVAL(s, 10)", false },
        { "SELECT NEXT VALUE FOR s", false },
        { "SELECT id INTO @x FROM users LIMIT 1", false },
        { "SELECT * FROM users INTO OUTFILE '/tmp/users'", false },
        { "SELECT 1; SELECT 2", false },
        { "SELECT 1;", true },
        { "INSERT INTO users (name) VALUES ('a')", false },
        { "REPLACE INTO users (id, name) VALUES (1, 'a')", false },
        { "UPDATE users SET name = 'b'", false },
        { "DELETE FROM users", false },
        { "INSERT INTO t SELECT * FROM s", false },
        { "LOAD DATA INFILE 'x' INTO TABLE t", false },
        { "CREATE TABLE t (id int)", false },
        { "ALTER TABLE t ADD c int", false },
        { "SET SESSION TRANSACTION READ ONLY", false },
        { "START TRANSACTION", false },
        { "LOCK TABLES t READ", false },
        { "HANDLER t OPEN", false },
        { "DO SLEEP(1)", false },
        { "ANALYZE TABLE t", false },
        { "SELECT 'unterminated", false },
        { "SELECT `unterminated", false },
        { "# only a comment", false },
        { "SELECT REPLACE(name, 'a', 'b') FROM users", true },
    };

    [Theory]
    [MemberData(nameof(PostgreSqlStatements))]
    public void PostgreSqlFamily_IsClassifiedByTokens(string sql, bool read) => Assert.Equal(read, StatementClassifier.IsRead(sql, PostgreSql));

    [Theory]
    [MemberData(nameof(MySqlStatements))]
    public void MySqlFamily_IsClassifiedByTokens(string sql, bool read) => Assert.Equal(read, StatementClassifier.IsRead(sql, MySql));

    [Theory]
    [InlineData("SELECT [delete] FROM t", true)]
    [InlineData("SELECT * FROM t WITH (UPDLOCK)", false)]
    [InlineData("SELECT * FROM t WITH (NOLOCK)", true)]
    [InlineData("SELECT NEXT VALUE FOR dbo.s", false)]
    [InlineData("SELECT * INTO #tmp FROM t", false)]
    [InlineData("UPDATE t SET x = 1", false)]
    public void BracketQuotingFamily_IsClassifiedByTokens(string sql, bool read) => Assert.Equal(read, StatementClassifier.IsRead(sql, SqlLexicon.BracketQuotes));

    [Fact]
    public void PostgreSqlFamily_ListsAtLeastFortyStatements() => Assert.True(PostgreSqlStatements.Count >= 40);

    [Fact]
    public void MySqlFamily_ListsAtLeastFortyStatements() => Assert.True(MySqlStatements.Count >= 40);

    [Fact]
    public void DollarInIdentifier_IsNotAQuote() => Assert.False(StatementClassifier.IsRead("SELECT a$b FROM t; DELETE FROM t", PostgreSql));

    [Fact]
    public void HashInPostgreSql_IsAnOperatorNotAComment() => Assert.False(StatementClassifier.IsRead("SELECT 1 # 2; DELETE FROM t", PostgreSql));

    [Fact]
    public void NestedComment_InMySql_EndsAtTheFirstClose() =>
        Assert.False(StatementClassifier.IsRead("SELECT 1 /* a /* b */ ; DELETE FROM t", MySql));

    [Fact]
    public void FirstWords_NeverShowStringContent()
    {
        Assert.Equal("INSERT INTO users", StatementClassifier.FirstWords("  -- note\n INSERT INTO users (name) VALUES ('secret')", PostgreSql));
        Assert.Equal("UPDATE t SET", StatementClassifier.FirstWords("UPDATE t SET password = 'hunter2'", PostgreSql));
        Assert.DoesNotContain("hunter2", StatementClassifier.FirstWords("SELECT 'hunter2' FOR", PostgreSql));
    }
}
