using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Tests.Support;

/// <summary>
/// A driver command that runs on the real command underneath, except when <paramref name="disconnectNow"/> says the
/// connection was just lost: then it throws <see cref="FakeDisconnectException"/> the way a driver reports a dropped
/// socket, while the connection object still says Open (only the driver's error tells the pool).
/// </summary>
internal sealed class DisconnectingCommand(DbCommand inner, Func<bool> disconnectNow) : DbCommand
{
    [AllowNull]
    public override string CommandText
    {
        get => inner.CommandText;
        set => inner.CommandText = value;
    }

    public override int CommandTimeout
    {
        get => inner.CommandTimeout;
        set => inner.CommandTimeout = value;
    }

    public override CommandType CommandType
    {
        get => inner.CommandType;
        set => inner.CommandType = value;
    }

    public override bool DesignTimeVisible
    {
        get => inner.DesignTimeVisible;
        set => inner.DesignTimeVisible = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => inner.UpdatedRowSource;
        set => inner.UpdatedRowSource = value;
    }

    protected override DbConnection? DbConnection
    {
        get => inner.Connection;
        set => inner.Connection = value;
    }

    protected override DbParameterCollection DbParameterCollection => inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => inner.Transaction;
        set => inner.Transaction = value;
    }

    public override void Cancel() => inner.Cancel();

    public override int ExecuteNonQuery()
    {
        ThrowIfDisconnected();
        return inner.ExecuteNonQuery();
    }

    public override object? ExecuteScalar()
    {
        ThrowIfDisconnected();
        return inner.ExecuteScalar();
    }

    public override void Prepare() => inner.Prepare();

    protected override DbParameter CreateDbParameter() => inner.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        ThrowIfDisconnected();
        return inner.ExecuteReader(behavior);
    }

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisconnected();
        return inner.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisconnected();
        return inner.ExecuteScalarAsync(cancellationToken);
    }

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        ThrowIfDisconnected();
        return inner.ExecuteReaderAsync(behavior, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfDisconnected()
    {
        if (disconnectNow())
        {
            throw new FakeDisconnectException("The server closed the connection unexpectedly (fake).");
        }
    }
}
