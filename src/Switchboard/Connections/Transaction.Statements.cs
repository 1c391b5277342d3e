using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// Statements run through the transaction object itself: they run inside it in whatever flow calls them, and bind it to
/// that flow, so that a transaction handed back by an async method (whose ambient state did not flow back) still holds
/// the caller's work, models included, once the caller uses it.
/// </summary>
public sealed partial class Transaction
{
    /// <summary>Runs a statement inside this transaction and returns the number of rows it changed; see <see cref="Connection.Execute"/>.</summary>
    /// <param name="sql">The statement; write parameters as <c>@name</c>.</param>
    /// <param name="parameters">An anonymous object or a dictionary of parameter values.</param>
    /// <exception cref="TransactionException">It has completed, or another transaction on the same connection is open in this flow.</exception>
    public int Execute(string sql, object? parameters = null)
    {
        BindToThisFlow();
        return Connection.Execute(sql, parameters);
    }

    /// <inheritdoc cref="Execute"/>
    /// <param name="sql">The statement; write parameters as <c>@name</c>.</param>
    /// <param name="parameters">An anonymous object or a dictionary of parameter values.</param>
    /// <param name="cancellationToken">Cancels the statement (and so dooms the transaction).</param>
    public Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        // Not async: the binding must land in the caller's flow, which an async method's would not.
        BindToThisFlow();
        return Connection.ExecuteAsync(sql, parameters, cancellationToken);
    }

    /// <summary>Runs a statement inside this transaction and returns its rows; see <see cref="Connection.ExecuteRaw"/>.</summary>
    /// <inheritdoc cref="Execute"/>
    public QueryResult ExecuteRaw(string sql, object? parameters = null)
    {
        BindToThisFlow();
        return Connection.ExecuteRaw(sql, parameters);
    }

    /// <inheritdoc cref="ExecuteRaw"/>
    /// <inheritdoc cref="ExecuteAsync"/>
    public Task<QueryResult> ExecuteRawAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        BindToThisFlow();
        return Connection.ExecuteRawAsync(sql, parameters, cancellationToken);
    }

    /// <summary>Runs a query inside this transaction and returns its first value; see <see cref="Connection.Scalar{T}"/>.</summary>
    /// <inheritdoc cref="Execute"/>
    public T? Scalar<T>(string sql, object? parameters = null)
    {
        BindToThisFlow();
        return Connection.Scalar<T>(sql, parameters);
    }

    /// <inheritdoc cref="Scalar{T}"/>
    /// <inheritdoc cref="ExecuteAsync"/>
    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default)
    {
        BindToThisFlow();
        return Connection.ScalarAsync<T>(sql, parameters, cancellationToken);
    }

    /// <summary>Makes this transaction the ambient one of the calling flow on its connection, unless the flow already runs inside it.</summary>
    private void BindToThisFlow()
    {
        ThrowIfCompleted();
        var current = AmbientContext.Current?.FindTransaction(Connection);
        for (var level = current; level is not null; level = level._parent)
        {
            if (ReferenceEquals(level, this))
            {
                // This flow runs inside it already (perhaps in one of its savepoints, which is inside it too).
                return;
            }
        }

        for (var level = _parent; current is not null && level is not null; level = level._parent)
        {
            if (ReferenceEquals(level, current))
            {
                current = null;
            }
        }

        if (current is not null)
        {
            throw new TransactionException(
                $"Another transaction on '{Connection.Name}' is open in this async flow, so this one cannot hold this flow's statements too. "
                + "Complete the other transaction first, or run the statement through it.",
                Connection.Name);
        }

        AmbientContext.PushTransaction(this);
    }
}
