using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace Switchboard.IntegrationTests.Conformance.Models;

/// <summary>A model of 71 columns: change tracking must not stop at 64.</summary>
[Table("wide_records")]
public class WideRecord : ActiveRecord<WideRecord>
{
    public const int Width = 70;

    [Column("id")]
    [DatabaseGenerated(DatabaseGeneratedOption.None)]
    public long Id { get; set; }

    [Column("c1")]
    public int C1 { get; set; }

    [Column("c2")]
    public int C2 { get; set; }

    [Column("c3")]
    public int C3 { get; set; }

    [Column("c4")]
    public int C4 { get; set; }

    [Column("c5")]
    public int C5 { get; set; }

    [Column("c6")]
    public int C6 { get; set; }

    [Column("c7")]
    public int C7 { get; set; }

    [Column("c8")]
    public int C8 { get; set; }

    [Column("c9")]
    public int C9 { get; set; }

    [Column("c10")]
    public int C10 { get; set; }

    [Column("c11")]
    public int C11 { get; set; }

    [Column("c12")]
    public int C12 { get; set; }

    [Column("c13")]
    public int C13 { get; set; }

    [Column("c14")]
    public int C14 { get; set; }

    [Column("c15")]
    public int C15 { get; set; }

    [Column("c16")]
    public int C16 { get; set; }

    [Column("c17")]
    public int C17 { get; set; }

    [Column("c18")]
    public int C18 { get; set; }

    [Column("c19")]
    public int C19 { get; set; }

    [Column("c20")]
    public int C20 { get; set; }

    [Column("c21")]
    public int C21 { get; set; }

    [Column("c22")]
    public int C22 { get; set; }

    [Column("c23")]
    public int C23 { get; set; }

    [Column("c24")]
    public int C24 { get; set; }

    [Column("c25")]
    public int C25 { get; set; }

    [Column("c26")]
    public int C26 { get; set; }

    [Column("c27")]
    public int C27 { get; set; }

    [Column("c28")]
    public int C28 { get; set; }

    [Column("c29")]
    public int C29 { get; set; }

    [Column("c30")]
    public int C30 { get; set; }

    [Column("c31")]
    public int C31 { get; set; }

    [Column("c32")]
    public int C32 { get; set; }

    [Column("c33")]
    public int C33 { get; set; }

    [Column("c34")]
    public int C34 { get; set; }

    [Column("c35")]
    public int C35 { get; set; }

    [Column("c36")]
    public int C36 { get; set; }

    [Column("c37")]
    public int C37 { get; set; }

    [Column("c38")]
    public int C38 { get; set; }

    [Column("c39")]
    public int C39 { get; set; }

    [Column("c40")]
    public int C40 { get; set; }

    [Column("c41")]
    public int C41 { get; set; }

    [Column("c42")]
    public int C42 { get; set; }

    [Column("c43")]
    public int C43 { get; set; }

    [Column("c44")]
    public int C44 { get; set; }

    [Column("c45")]
    public int C45 { get; set; }

    [Column("c46")]
    public int C46 { get; set; }

    [Column("c47")]
    public int C47 { get; set; }

    [Column("c48")]
    public int C48 { get; set; }

    [Column("c49")]
    public int C49 { get; set; }

    [Column("c50")]
    public int C50 { get; set; }

    [Column("c51")]
    public int C51 { get; set; }

    [Column("c52")]
    public int C52 { get; set; }

    [Column("c53")]
    public int C53 { get; set; }

    [Column("c54")]
    public int C54 { get; set; }

    [Column("c55")]
    public int C55 { get; set; }

    [Column("c56")]
    public int C56 { get; set; }

    [Column("c57")]
    public int C57 { get; set; }

    [Column("c58")]
    public int C58 { get; set; }

    [Column("c59")]
    public int C59 { get; set; }

    [Column("c60")]
    public int C60 { get; set; }

    [Column("c61")]
    public int C61 { get; set; }

    [Column("c62")]
    public int C62 { get; set; }

    [Column("c63")]
    public int C63 { get; set; }

    [Column("c64")]
    public int C64 { get; set; }

    [Column("c65")]
    public int C65 { get; set; }

    [Column("c66")]
    public int C66 { get; set; }

    [Column("c67")]
    public int C67 { get; set; }

    [Column("c68")]
    public int C68 { get; set; }

    [Column("c69")]
    public int C69 { get; set; }

    [Column("c70")]
    public int C70 { get; set; }
}
