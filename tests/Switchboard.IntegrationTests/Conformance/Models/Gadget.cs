using System.ComponentModel.DataAnnotations.Schema;

namespace Switchboard.IntegrationTests.Conformance.Models;

/// <summary>A plain model with a generated key; each engine creates its table with its natural types.</summary>
[Table("gadgets")]
public class Gadget : ActiveRecord<Gadget>
{
    [Column("id")]
    public long Id { get; set; }

    [Column("name")]
    public string Name { get; set; } = "";

    [Column("status")]
    public string Status { get; set; } = "";

    [Column("price")]
    public decimal Price { get; set; }

    // RANK is a function name on several engines: it proves that columns are quoted.
    [Column("rank")]
    public int Rank { get; set; }

    [Column("note")]
    public string? Note { get; set; }
}
