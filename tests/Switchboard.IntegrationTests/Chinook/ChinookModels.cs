namespace Switchboard.IntegrationTests.Chinook;

// The Chinook dataset (MIT, tests/data/chinook) as each engine's own script creates it. No naming key: naming: auto
// finds Invoice.InvoiceId as it is on SQLite and MariaDB, and as invoice.invoice_id in PostgreSQL's snake_case copy, so
// the table names come from the class names: a [Table] name would be used as written.
[Connection("chinook")]
public class Artist : ActiveRecord<Artist>
{
    public long ArtistId { get; set; }

    public string? Name { get; set; }
}

[Connection("chinook")]
public class Customer : ActiveRecord<Customer>
{
    public long CustomerId { get; set; }

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public string? City { get; set; }

    public string? Country { get; set; }

    public string Email { get; set; } = "";
}

[Connection("chinook")]
public class Invoice : ActiveRecord<Invoice>
{
    public long InvoiceId { get; set; }

    public long CustomerId { get; set; }

    public DateTime InvoiceDate { get; set; }

    public string? BillingCity { get; set; }

    public string? BillingCountry { get; set; }

    public decimal Total { get; set; }
}

[Connection("chinook")]
public class Track : ActiveRecord<Track>
{
    public long TrackId { get; set; }

    public string Name { get; set; } = "";

    public long? AlbumId { get; set; }

    public long Milliseconds { get; set; }

    public decimal UnitPrice { get; set; }
}
