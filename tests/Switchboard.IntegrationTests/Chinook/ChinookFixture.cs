using Switchboard.IntegrationTests.Conformance;

namespace Switchboard.IntegrationTests.Chinook;

/// <summary>
/// The Chinook dataset loaded once per run into a store of its own on one engine, from that engine's own script, in one
/// transaction. The connection is called <c>chinook</c>, as the models say; it has no <c>naming</c> key, so the
/// models find each engine's spelling (<c>Invoice.InvoiceId</c>, <c>invoice.invoice_id</c>) in its catalog.
/// </summary>
public abstract class ChinookFixture(TestEngine engine) : EngineFixture(engine)
{
    public const string ConnectionName = "chinook";

    public Connection Connection => Registry.GetConnection(ConnectionName);

    protected override IReadOnlyList<string> StoreNames => [ConnectionName];

    protected override void Configure(ConnectionConfig config)
    {
        config.PoolSize = 2;
    }

    protected override async Task SetUpStoreAsync(Connection connection)
    {
        var script = await File.ReadAllTextAsync(Tests.Support.ChinookData.Script(Engine.Name));
        await connection.TransactionAsync(async () =>
        {
            foreach (var statement in Engine.ChinookStatements(script))
            {
                await connection.ExecuteAsync(statement);
            }
        });
    }
}
