using System.Data;
using System.Data.Common;

namespace Switchboard.Providers;

/// <summary>
/// A command that wraps a driver's own and forwards to it everything the wrapper does not change: the command type,
/// the connection, the transaction, the parameters, preparation and disposal. A provider's wrapper overrides what it
/// adds (the text it sends, how it executes, how it cancels). Compiled into each provider package that wraps a command,
/// as an internal type of that package.
/// </summary>
/// <typeparam name="TCommand">The driver's command type.</typeparam>
internal abstract class ForwardingDbCommand<TCommand> : DbCommand
    where TCommand : DbCommand
{
    protected ForwardingDbCommand(TCommand inner)
    {
        Inner = inner;
    }

    /// <summary>The driver's command that runs the statement.</summary>
    protected TCommand Inner { get; }

    public override CommandType CommandType
    {
        get => Inner.CommandType;
        set => Inner.CommandType = value;
    }

    public override bool DesignTimeVisible
    {
        get => Inner.DesignTimeVisible;
        set => Inner.DesignTimeVisible = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => Inner.UpdatedRowSource;
        set => Inner.UpdatedRowSource = value;
    }

    protected override DbConnection? DbConnection
    {
        get => Inner.Connection;
        set => Inner.Connection = value;
    }

    protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => Inner.Transaction;
        set => Inner.Transaction = value;
    }

    public override void Prepare() => Inner.Prepare();

    protected override DbParameter CreateDbParameter() => Inner.CreateParameter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
