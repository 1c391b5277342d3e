using System.ComponentModel.DataAnnotations.Schema;

namespace Switchboard.Tests.Providers.Live;

/// <summary>A plain model for the live provider tests; its table is created by each engine's test class.</summary>
[Table("sb_provider_gadgets")]
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

    [Column("rank")]
    public int Rank { get; set; }
}
