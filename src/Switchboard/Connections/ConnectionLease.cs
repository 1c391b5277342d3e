using System.Data.Common;
using Switchboard.Pooling;

namespace Switchboard;

/// <summary>A physical connection borrowed for one operation: from the pool, or from the open transaction of this flow.</summary>
internal readonly struct ConnectionLease
{
    private readonly int _lease;
    private readonly Transaction? _transaction;

    public ConnectionLease(PooledConnection connection, Transaction? transaction)
    {
        Connection = connection;
        _lease = connection.Lease;
        _transaction = transaction;
    }

    public PooledConnection Connection { get; }

    public DbTransaction? DbTransaction => Connection.Transaction;

    public bool InTransaction => _transaction is not null;

    /// <summary>Tells the transaction, if any, that its statement failed, so that it never commits work the server threw away.</summary>
    public void Failed(Exception cause, Exception failure) => _transaction?.StatementFailed(cause, failure, Connection);

    public void Release()
    {
        if (_transaction is not null)
        {
            _transaction.EndOperation();
        }
        else
        {
            Connection.Pool.Return(Connection, _lease);
        }
    }
}
