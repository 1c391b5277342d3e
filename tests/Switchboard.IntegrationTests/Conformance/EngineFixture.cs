using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// One test class's view of an engine: a registry of its own, and two stores (schemas, databases or files) made for this
/// class alone, so that classes and whole runs can go in parallel. <c>primary</c> and <c>secondary</c> point at them,
/// each with the suite's tables; the stores are dropped at the end.
/// </summary>
/// <remarks>
/// Without a server the fixture sets nothing up; each test then skips (fails under CI) in <see cref="Require"/>, since
/// xUnit reports a skip thrown from a class fixture as a failure.
/// </remarks>
public abstract class EngineFixture : IAsyncLifetime
{
    public const string PrimaryName = "primary";
    public const string SecondaryName = "secondary";
    private const string AdminName = "admin";

    private readonly List<string> _stores = [];
    private readonly ILoggerFactory _loggerFactory;
    private ExceptionDispatchInfo? _unavailable;
    private ConnectionConfig? _server;

    protected EngineFixture(TestEngine engine)
    {
        Engine = engine;
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Registry = new ConnectionRegistry(_loggerFactory);
    }

    public TestEngine Engine { get; }

    public ConnectionRegistry Registry { get; }

    /// <summary>Every log entry of the registry; echo is on for the suite's connections, so this holds every statement.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>A name unique to this fixture, for stores and anything else shared with other runs.</summary>
    public string RunId { get; } = "sb_" + IntegrationSupport.Unique();

    public Connection Primary => Registry.GetConnection(PrimaryName);

    public Connection Secondary => Registry.GetConnection(SecondaryName);

    /// <summary>The tables each store gets; the Chinook fixture loads a script instead.</summary>
    protected virtual IReadOnlyList<string> Tables => Engine.SuiteTables;

    /// <summary>The stores to create, each configured as a connection of that name.</summary>
    protected virtual IReadOnlyList<string> StoreNames => [PrimaryName, SecondaryName];

    public async ValueTask InitializeAsync()
    {
        try
        {
            _server = Engine.Server();
        }
        catch (Exception exception)
        {
            _unavailable = ExceptionDispatchInfo.Capture(exception);
            return;
        }

        Engine.Register(Registry);
        var admin = Registry.Configure(AdminName, _server);
        foreach (var name in StoreNames)
        {
            var store = $"{RunId}_{name[0]}";
            var config = await Engine.CreateStoreAsync(admin, store);
            _stores.Add(store);
            Configure(config);
            var connection = Registry.Configure(name, config);
            await SetUpStoreAsync(connection);
        }

        Registry.DefaultConnectionName = StoreNames[0];
    }

    /// <summary>Skips the calling test (fails it under CI) when the engine's server is missing.</summary>
    public void Require() => _unavailable?.Throw();

    /// <summary>Another connection to the primary store (its own pool), e.g. a second session for locks.</summary>
    public Connection Another(string name, Action<ConnectionConfig>? change = null)
    {
        var config = Primary.Config;
        change?.Invoke(config);
        return Registry.Configure(name, config, replace: true);
    }

    /// <summary>Empties the suite's tables in every store, so that each test starts from nothing.</summary>
    public void Clear()
    {
        foreach (var name in StoreNames)
        {
            var connection = Registry.GetConnection(name);
            foreach (var table in new[] { "gadgets", "type_samples" })
            {
                connection.Execute("DELETE FROM " + connection.Dialect.QuoteIdentifier(table));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_server is not null)
            {
                // Every connection to a store is closed before it is dropped (SQL Server refuses otherwise).
                foreach (var name in Registry.Names.Where(n => n != AdminName))
                {
                    await Registry.DisposeAsync(name);
                }

                var admin = Registry.GetConnection(AdminName);
                foreach (var store in _stores)
                {
                    await Engine.DropStoreAsync(admin, store);
                }
            }
        }
        finally
        {
            await Registry.DisposeAllAsync();
            _loggerFactory.Dispose();
            Engine.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Settings every store connection gets: echo (the tests read statements), short pool waits.</summary>
    protected virtual void Configure(ConnectionConfig config)
    {
        config.Echo = true;
        config.PoolSize = 5;
        config.PoolTimeout = TimeSpan.FromSeconds(20);
    }

    /// <summary>Creates what the tests need in a new store.</summary>
    protected virtual async Task SetUpStoreAsync(Connection connection)
    {
        foreach (var statement in Tables)
        {
            await connection.ExecuteAsync(statement);
        }
    }
}
