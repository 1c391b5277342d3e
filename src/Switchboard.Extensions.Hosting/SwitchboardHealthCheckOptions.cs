namespace Switchboard.Extensions.Hosting;

// Inside the namespace, so that it wins over Switchboard.HealthStatus.
using HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

/// <summary>How <see cref="Microsoft.Extensions.DependencyInjection.SwitchboardHealthChecksBuilderExtensions.AddSwitchboard"/> reports each connection.</summary>
public sealed class SwitchboardHealthCheckOptions
{
    /// <summary>The start of each entry's name; the connection's name follows.</summary>
    /// <value><c>switchboard:</c>, so the entry of <c>primary</c> is <c>switchboard:primary</c>.</value>
    public string NamePrefix { get; set; } = "switchboard:";

    /// <summary>Tags added to every entry, besides <c>switchboard</c>, <c>db</c> and the driver's name (<c>sqlite</c>, <c>postgresql</c>, ...).</summary>
    /// <value>None.</value>
    public IList<string> Tags { get; } = [];

    /// <summary>The status reported when a connection cannot be reached.</summary>
    /// <value><see cref="HealthStatus.Unhealthy"/>.</value>
    public HealthStatus FailureStatus { get; set; } = HealthStatus.Unhealthy;

    /// <summary>The longest a check may take before it is reported as failed.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Models checked against the live schema at each health check (<see cref="ConnectionRegistry.VerifyModels(string, Type[])"/>):
    /// a model with <c>[Connection]</c> on that connection, the others on every connection. A connection that answers
    /// but where a model does not fit its table (an error, not a warning) is reported as Degraded, naming the problems.
    /// </summary>
    /// <value>None: no schema check.</value>
    public IList<Type> VerifyModels { get; } = [];

    /// <summary>Checks the options, naming the one at fault.</summary>
    internal void Validate()
    {
        foreach (var model in VerifyModels)
        {
            if (model is null || !IsModel(model))
            {
                throw new ArgumentException(
                    $"SwitchboardHealthCheckOptions.VerifyModels holds {model?.FullName ?? "null"}, which is not a model: add only classes deriving from ActiveRecord<T>.",
                    nameof(VerifyModels));
            }
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "SwitchboardHealthCheckOptions.Timeout must be more than zero (or Timeout.InfiniteTimeSpan).");
        }

        ArgumentNullException.ThrowIfNull(NamePrefix, nameof(NamePrefix));
    }

    private static bool IsModel(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(ActiveRecord<>))
            {
                return current.GetGenericArguments()[0] == type && !type.IsAbstract;
            }
        }

        return false;
    }
}
