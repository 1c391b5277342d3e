using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Tests.Support;

// The fake driver's command: SQLite underneath, hanging, failing and cancelling as the driver is told to.
public sealed partial class FakeDriver
{
    /// <summary>A SQLite command that hangs and cancels as the driver is told to.</summary>
    private sealed class FakeCommand(FakeDriver driver, SqliteCommand inner) : DbCommand
    {
        private TaskCompletionSource? _hang;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }

        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }

        public override System.Data.CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }

        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }

        public override System.Data.UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection { get => inner.Connection; set => inner.Connection = (SqliteConnection?)value; }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction { get => inner.Transaction; set => inner.Transaction = (SqliteTransaction?)value; }

        public override void Cancel()
        {
            Interlocked.Increment(ref driver._cancels);
            if (driver.CancelHangs)
            {
                driver._cancelGate.Task.GetAwaiter().GetResult();
            }

            if (driver.CancelLetsItFinish)
            {
                Volatile.Read(ref _hang)?.TrySetResult();
            }
            else
            {
                Volatile.Read(ref _hang)?.TrySetException(new FakeCancelledException("canceling statement due to user request"));
            }

            inner.Cancel();
        }

        public override int ExecuteNonQuery()
        {
            HangIfTold(CancellationToken.None).GetAwaiter().GetResult();
            return inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            HangIfTold(CancellationToken.None).GetAwaiter().GetResult();
            return inner.ExecuteScalar();
        }

        public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            await HangIfTold(cancellationToken);
            return await inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            await HangIfTold(cancellationToken);
            return await inner.ExecuteScalarAsync(cancellationToken);
        }

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(System.Data.CommandBehavior behavior)
        {
            HangIfTold(CancellationToken.None).GetAwaiter().GetResult();
            return inner.ExecuteReader(behavior);
        }

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(System.Data.CommandBehavior behavior, CancellationToken cancellationToken)
        {
            await HangIfTold(cancellationToken);
            return await inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Hangs as a statement on a stopped server: until cancelled through the driver, the connection closes, or (unless ignored) the token fires.</summary>
        private async Task HangIfTold(CancellationToken cancellationToken)
        {
            Volatile.Write(ref driver._lastCommandTimeout, inner.CommandTimeout);
            if (driver.StatementFails?.Invoke(inner.CommandText) is { } refusal)
            {
                throw refusal;
            }

            if (driver.FailsWith?.Invoke(inner.CommandText) is { } failure)
            {
                inner.Connection?.Close();
                throw failure;
            }

            if (driver.HangsOn is not { } hangs || !hangs(inner.CommandText))
            {
                return;
            }

            var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var connection = inner.Connection!;
            void OnStateChange(object? sender, System.Data.StateChangeEventArgs e)
            {
                if (e.CurrentState != System.Data.ConnectionState.Open && !driver.IgnoresClose)
                {
                    hang.TrySetException(new FakeDisconnectException("the connection was closed while a statement was running"));
                }
            }

            connection.StateChange += OnStateChange;
            Volatile.Write(ref _hang, hang);
            Interlocked.Increment(ref driver._hanging);
            try
            {
                using var registration = driver.IgnoresTokens ? default : cancellationToken.Register(() => hang.TrySetCanceled(cancellationToken));
                if (connection.State != System.Data.ConnectionState.Open && !driver.IgnoresClose)
                {
                    hang.TrySetException(new FakeDisconnectException("the connection is closed"));
                }

                await hang.Task;
            }
            finally
            {
                Interlocked.Decrement(ref driver._hanging);
                Volatile.Write(ref _hang, null);
                connection.StateChange -= OnStateChange;
            }
        }
    }
}
