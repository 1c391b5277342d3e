using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace Switchboard.Tests.Support;

[Connection("primary")]
[Table("users")]
public class User : ActiveRecord<User>
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Status { get; set; } = "";

    [Column("email_address")]
    public string? Email { get; set; }

    public int Age { get; set; }
}

[Connection("secondary")]
[Table("analytics_data")]
public class AnalyticsData : ActiveRecord<AnalyticsData>
{
    public long Id { get; set; }

    public string Metric { get; set; } = "";

    public double Value { get; set; }
}

/// <summary>A subclass follows its base's scope and connection.</summary>
public class AdminUser : User
{
}

public static class Schema
{
    public const string Users = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, status TEXT NOT NULL, email_address TEXT, age INTEGER NOT NULL DEFAULT 0)";

    public const string Analytics = "CREATE TABLE IF NOT EXISTS analytics_data (id INTEGER PRIMARY KEY AUTOINCREMENT, metric TEXT NOT NULL, value REAL NOT NULL)";

    public static Connection WithUsers(this Connection connection)
    {
        connection.Execute(Users);
        return connection;
    }
}
