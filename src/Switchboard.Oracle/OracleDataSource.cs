using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Switchboard.Dialects;

namespace Switchboard.Oracle;

/// <summary>
/// Opens connections of the application's Oracle provider with its pooling off. Commands bind parameters by name, and
/// an INSERT's generated key comes back through the output parameter of <c>RETURNING ... INTO</c>.
/// </summary>
internal sealed class OracleDataSource : DriverDataSource
{
    private readonly DbProviderFactory _factory;
    private readonly Action<DbCommand>? _bindByName;

    public OracleDataSource(DbProviderFactory factory, ConnectionConfig config)
    {
        _factory = factory;
        ConnectionString = BuildConnectionString(config);
        _bindByName = BindByNameSetter(factory);
    }

    /// <summary>The connection string, password included: never shown in messages.</summary>
    public string ConnectionString { get; }

    public static string BuildConnectionString(ConnectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var target = config.ServiceName is { } service ? $"(SERVICE_NAME={service.Trim()})" : $"(SID={config.Sid!.Trim()})";
        var descriptor = string.Create(
            CultureInfo.InvariantCulture,
            $"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={config.Host ?? "localhost"})(PORT={config.Port ?? 1521}))(CONNECT_DATA={target}))");

        // The descriptor is written as Oracle documents it (validated free of ';' and quotes); the builder quotes the rest.
        var rest = new DbConnectionStringBuilder();
        if (config.Username is not null)
        {
            rest["User Id"] = config.Username;
        }

        if (config.Password is not null)
        {
            rest["Password"] = config.Password;
        }

        // Our pool bounds the physical connections; the provider's own pool would hide them from it.
        rest["Pooling"] = "false";
        rest["Connection Timeout"] = ((int)Math.Ceiling(config.ConnectTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return "Data Source=" + descriptor + ";" + rest.ConnectionString;
    }

    public override DbConnection CreateConnection()
    {
        var connection = _factory.CreateConnection() ?? throw new InvalidOperationException(
            $"{_factory.GetType().FullName}.CreateConnection returned null. Pass the Oracle provider's factory to AddOracle (OracleClientFactory.Instance).");
        connection.ConnectionString = ConnectionString;
        return connection;
    }

    public override DbCommand CreateCommand(DbConnection connection)
    {
        var command = base.CreateCommand(connection);
        _bindByName?.Invoke(command);
        return command;
    }

    public override object? ExecuteInsert(DbCommand command)
    {
        var key = AddKeyParameter(command);
        command.ExecuteNonQuery();
        return KeyValue(key);
    }

    public override async Task<object?> ExecuteInsertAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var key = AddKeyParameter(command);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return KeyValue(key);
    }

    private static DbParameter AddKeyParameter(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var key = command.CreateParameter();
        key.ParameterName = OracleDialect.GeneratedKeyParameter;
        key.Direction = ParameterDirection.Output;
        key.DbType = DbType.Int64;
        command.Parameters.Add(key);
        return key;
    }

    /// <summary>
    /// An output value as a .NET value: a provider type such as ODP.NET's OracleDecimal is not <see cref="IConvertible"/>,
    /// but its text is the number.
    /// </summary>
    private static object? KeyValue(DbParameter key) => key.Value switch
    {
        null or DBNull => null,
        IConvertible value => value,
        var other => other.ToString(),
    };

    /// <summary>
    /// ODP.NET binds parameters by position unless <c>OracleCommand.BindByName</c> is set, which would bind a raw
    /// statement's parameters in the order the caller's object lists them. The provider is unknown at compile time:
    /// look the property up once.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Documented on AddOracle: a trimmed application keeps its command type's BindByName property.")]
    private static Action<DbCommand>? BindByNameSetter(DbProviderFactory factory)
    {
        var command = factory.CreateCommand();
        if (command is null)
        {
            return null;
        }

        using (command)
        {
            var property = command.GetType().GetProperty("BindByName", BindingFlags.Public | BindingFlags.Instance);
            if (property is not { CanWrite: true } || property.PropertyType != typeof(bool))
            {
                return null;
            }

            return c => property.SetValue(c, true);
        }
    }
}
