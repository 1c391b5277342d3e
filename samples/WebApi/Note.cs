using System.ComponentModel.DataAnnotations.Schema;
using Switchboard;

namespace WebApi;

/// <summary>A note, stored in the SQLite connection <c>main</c>.</summary>
[Connection("main")]
[Table("notes")]
public class Note : ActiveRecord<Note>
{
    /// <summary>The key.</summary>
    public long Id { get; set; }

    /// <summary>What the note says.</summary>
    public string Text { get; set; } = "";

    /// <summary>The statement that creates the table when it is missing.</summary>
    public const string CreateTable = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)";
}
