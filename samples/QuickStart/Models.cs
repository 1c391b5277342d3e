using System.ComponentModel.DataAnnotations.Schema;
using Switchboard;

namespace QuickStart;

/// <summary>Users live in the primary database.</summary>
[Connection("primary")]
[Table("users")]
public class User : ActiveRecord<User>
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string Status { get; set; } = "";
}

/// <summary>Page views live in the analytics database.</summary>
[Connection("analytics")]
[Table("page_views")]
public class PageView : ActiveRecord<PageView>
{
    public long Id { get; set; }

    public string Path { get; set; } = "";

    [Column("user_name")]
    public string UserName { get; set; } = "";

    [Column("viewed_at")]
    public DateTime ViewedAt { get; set; }
}
