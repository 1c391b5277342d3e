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

    /// <summary>Checks the options, naming the one at fault.</summary>
    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "SwitchboardHealthCheckOptions.Timeout must be more than zero (or Timeout.InfiniteTimeSpan).");
        }

        ArgumentNullException.ThrowIfNull(NamePrefix, nameof(NamePrefix));
    }
}
