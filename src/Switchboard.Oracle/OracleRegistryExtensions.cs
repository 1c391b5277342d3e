using System.Data.Common;

namespace Switchboard;

/// <summary>Registration of the Oracle driver over the ADO.NET provider the application references.</summary>
public static class OracleRegistryExtensions
{
    /// <summary>
    /// Registers the <c>oracle</c> driver with <paramref name="registry"/>, making its connections with
    /// <paramref name="factory"/>: with the Oracle.ManagedDataAccess.Core package,
    /// <c>registry.AddOracle(OracleClientFactory.Instance)</c>. Call it before configuring an <c>oracle</c> connection.
    /// </summary>
    /// <param name="registry">The registry (<c>ConnectionRegistry.Default</c> for <c>ConnectionManager</c>).</param>
    /// <param name="factory">The Oracle ADO.NET provider's factory; its commands must accept <c>:name</c> parameters.</param>
    /// <returns>The registry.</returns>
    /// <remarks>
    /// Each command gets <c>BindByName = true</c> when its type has that property (ODP.NET binds by position otherwise);
    /// a trimmed application must keep that property of its command type.
    /// </remarks>
    public static ConnectionRegistry AddOracle(this ConnectionRegistry registry, DbProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(factory);
        registry.RegisterDriver(new Oracle.OracleDriver(factory));
        return registry;
    }
}
