using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Switchboard.Diagnostics;
using Switchboard.Dialects;

namespace Switchboard.Resilience;

/// <summary>
/// One connection's retries: a Polly <see cref="ResiliencePipeline"/> built once from its <see cref="RetryOptions"/>,
/// whose predicate knows what each <see cref="RetryOperation"/> may retry, whose waits end before the deadline, and
/// whose retries raise <see cref="ConnectionEventKind.Retry"/>, count on <c>switchboard.retries</c> and are logged.
/// </summary>
internal sealed class RetryPipeline
{
    private static readonly ResiliencePropertyKey<RetryOperation> OperationKey = new("switchboard.retry.operation");
    private static readonly ResiliencePropertyKey<long> StartedKey = new("switchboard.retry.started");
    private static readonly ResiliencePropertyKey<TimeSpan> DelayKey = new("switchboard.retry.delay");
    private static readonly ResiliencePropertyKey<string> ReasonKey = new("switchboard.retry.reason");

    private readonly RetryOptions _options;
    private readonly string _connectionName;
    private readonly int _registryId;
    private readonly DatabaseDriver _driver;
    private readonly TimeProvider _time;
    private readonly ConnectionEventHub _events;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    private RetryPipeline(RetryOptions options, string connectionName, int registryId, DatabaseDriver driver, TimeProvider time, ConnectionEventHub events, ILogger logger)
    {
        _options = options;
        _connectionName = connectionName;
        _registryId = registryId;
        _driver = driver;
        _time = time;
        _events = events;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Exception, args.AttemptNumber, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(DelayKey, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    OnRetry(args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay, args.Context.Properties.GetValue(ReasonKey, "transient"));
                    return default;
                },
            })
            .Build();
    }

    /// <summary>The connection's pipeline, or null when it retries nothing (no <c>retry</c>, or <c>max_attempts</c> 1).</summary>
    public static RetryPipeline? Create(Connection connection, RetryOptions? options)
    {
        if (options is null || options.MaxAttempts <= 1)
        {
            return null;
        }

        var logger = connection.Registry.LoggerFactory?.CreateLogger("Switchboard.Pool") ?? NullLogger.Instance;
        return new RetryPipeline(options, connection.Name, connection.Registry.Id, connection.DatabaseDriver, connection.Registry.TimeProvider, connection.Registry.Events, logger);
    }

    /// <summary>
    /// Why <paramref name="exception"/>, met by <paramref name="operation"/>, may be cured by running the work again
    /// (<c>connect</c>, <c>transient</c>, <c>deadlock</c>, <c>serialization_failure</c>), or null when it must not be retried.
    /// </summary>
    public static string? ReasonToRetry(RetryOperation operation, Exception exception, DatabaseDriver driver) => operation switch
    {
        // Nothing was sent yet; waiting for a free connection was already bounded by pool_timeout.
        RetryOperation.Acquire => exception is ConnectionException { IsTransient: true } and not PoolTimeoutException ? "connect" : null,

        // A read that outlived command_timeout would likely do so again, and run on the server meanwhile.
        RetryOperation.Read => exception is SwitchboardException { IsTransient: true } and not CommandTimeoutException and not PoolTimeoutException
            ? ConflictReason(exception, driver) ?? "transient"
            : null,
        _ => ConflictReason(exception, driver),
    };

    /// <summary>Runs <paramref name="body"/> through the pipeline: again after a failure it may retry, within the deadline and the caller's token.</summary>
    /// <param name="operation">What is run, which decides what is retried.</param>
    /// <param name="state">The body's state.</param>
    /// <param name="body">The work: its state, whether the caller is async, and the token.</param>
    /// <param name="async">Whether the caller is async (the sync caller waits synchronously between attempts).</param>
    /// <param name="cancellationToken">The caller's token: it cancels the work and any wait between attempts.</param>
    public async ValueTask<TResult> ExecuteAsync<TResult, TState>(
        RetryOperation operation, TState state, Func<TState, bool, CancellationToken, ValueTask<TResult>> body, bool async, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: false, cancellationToken);
        context.Properties.Set(OperationKey, operation);
        context.Properties.Set(StartedKey, _time.GetTimestamp());
        if (operation == RetryOperation.Read)
        {
            // The read's own checkout is retried as part of the read, not a second time on its own.
            Connection.InsideRetriedRead = true;
        }

        try
        {
            return async
                ? await _pipeline.ExecuteAsync(static (ctx, s) => s.body(s.state, true, ctx.CancellationToken), context, (body, state)).ConfigureAwait(false)
                : _pipeline.Execute(static (ctx, s) => s.body(s.state, false, ctx.CancellationToken).GetAwaiter().GetResult(), context, (body, state));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The wait before retry <paramref name="retry"/> (0 for the first): exponential from base_delay, at most max_delay, less up to a half at random.</summary>
    public static TimeSpan DelayBefore(RetryOptions options, int retry, double random)
    {
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (0.5 * random)));
    }

    /// <summary>A deadlock or serialization failure anywhere in the chain, as the failed statement or the driver reports it.</summary>
    private static string? ConflictReason(Exception exception, DatabaseDriver driver)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var kind = current switch
            {
                StatementException statement => statement.Kind,
                DbException driverError => driver.DescribeError(driverError).Kind,
                _ => StatementErrorKind.Other,
            };
            switch (kind)
            {
                case StatementErrorKind.Deadlock:
                    return "deadlock";
                case StatementErrorKind.SerializationFailure:
                    return "serialization_failure";
            }
        }

        return null;
    }

    private bool ShouldRetry(Exception? exception, int attempt, ResilienceContext context)
    {
        if (exception is null || exception is OperationCanceledException || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var reason = ReasonToRetry(context.Properties.GetValue(OperationKey, RetryOperation.Acquire), exception, _driver);
        if (reason is null)
        {
            return false;
        }

        // No wait may end past the deadline, counted from the first attempt.
        var delay = DelayBefore(_options, attempt, Random.Shared.NextDouble());
        var elapsed = _time.GetElapsedTime(context.Properties.GetValue(StartedKey, _time.GetTimestamp()));
        if (elapsed + delay > _options.Deadline)
        {
            return false;
        }

        context.Properties.Set(DelayKey, delay);
        context.Properties.Set(ReasonKey, reason);
        return true;
    }

    private void OnRetry(Exception exception, int failedAttempt, TimeSpan delay, string reason)
    {
        Log.Retrying(_logger, exception, _connectionName, delay.TotalMilliseconds, failedAttempt, reason);
        RetryMetrics.Record(_connectionName, _registryId, reason);
        var local = _events.HasHandlers(ConnectionEventKind.Retry);
        var global = ConnectionEventHub.Global.HasHandlers(ConnectionEventKind.Retry);
        if (!local && !global)
        {
            return;
        }

        var args = new ConnectionEventArgs(_connectionName, _driver.Name, reason, failedAttempt, delay);
        if (local)
        {
            _events.Raise(args, OnHandlerError);
        }

        if (global)
        {
            ConnectionEventHub.Global.Raise(args, OnHandlerError);
        }
    }

    private void OnHandlerError(Exception exception, ConnectionEventArgs args) => Log.EventHandlerFailed(_logger, exception, args.Kind, args.Id, _connectionName);
}
