using Switchboard.Pooling;

namespace Switchboard;

// BEGIN, COMMIT and ROLLBACK under command_timeout: driver calls with no command to cancel.
public sealed partial class Connection
{
    /// <summary>
    /// Runs a driver call that begins, commits or rolls back a transaction under <c>command_timeout</c>, as statements run.
    /// There is no command to cancel, so at the deadline the connection is given up at once: closed off the caller's
    /// thread (which ends a driver call blocked in a read) and an async caller released without waiting for the driver.
    /// </summary>
    /// <param name="physical">The connection the call runs on.</param>
    /// <param name="work">The driver call: whether the caller is async, and its token.</param>
    /// <param name="completedStands">
    /// Whether a call that completed after the deadline fired still counts (a commit the server acknowledged happened,
    /// whatever became of the connection afterwards); otherwise it fails as timed out (a BEGIN on a connection being closed).
    /// </param>
    /// <param name="async">Whether the caller is async.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="TimeoutException">The deadline passed: the caller translates it (<see cref="Translate"/>) into a <see cref="CommandTimeoutException"/>.</exception>
    internal async ValueTask<T> UnderDeadlineAsync<T>(PooledConnection physical, Func<bool, CancellationToken, ValueTask<T>> work, bool completedStands, bool async, CancellationToken cancellationToken)
    {
        var deadline = _commandTimeout > TimeSpan.Zero ? physical.Deadline : null;
        if (deadline is null)
        {
            return await work(async, cancellationToken).ConfigureAwait(false);
        }

        deadline.Arm(command: null, _commandTimeout);
        T result;
        try
        {
            var pending = work(async, cancellationToken);
            if (pending.IsCompleted)
            {
                result = await pending.ConfigureAwait(false);
            }
            else
            {
                var task = pending.AsTask();
                if (!await deadline.WaitAsync(task).ConfigureAwait(false))
                {
                    // Given up: the driver still holds the call; its outcome is observed and dropped whenever it comes.
                    _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw new DeadlinePassedException();
                }

                result = await task.ConfigureAwait(false);
            }
        }
        catch
        {
            deadline.Disarm();
            throw;
        }

        if (deadline.Disarm() && !completedStands)
        {
            throw new DeadlinePassedException();
        }

        return result;
    }
}
