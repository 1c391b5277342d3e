namespace Switchboard.IntegrationTests.CrossDatabase;

/// <summary>Small helpers over configurations for the cross-database tests.</summary>
internal static class ConfigCopies
{
    /// <summary>A copy of a configuration with another pool size.</summary>
    public static ConnectionConfig WithPool(this ConnectionConfig config, int size) => new()
    {
        Driver = config.Driver,
        Host = config.Host,
        Port = config.Port,
        Database = config.Database,
        Username = config.Username,
        Password = config.Password,
        PoolSize = size,
    };
}
