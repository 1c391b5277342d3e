using System.Data.Common;
using System.Diagnostics;

namespace Switchboard.Diagnostics;

/// <summary>
/// The <c>Switchboard</c> <see cref="ActivitySource"/>: one client span per statement, with the OpenTelemetry database
/// attributes. Statement text goes in as written (values are always parameters, never in the text); parameter values
/// never do. With no listener, a statement pays one check.
/// </summary>
internal static class StatementTracing
{
    public static readonly ActivitySource Source = new(SwitchboardDiagnostics.Name);

    /// <summary>Starts the span of one statement, or returns null when nobody listens.</summary>
    public static Activity? Start(Connection connection, DbCommand command)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(connection.Driver, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", connection.Driver);
            activity.SetTag("db.namespace", connection.DatabaseName);
            activity.SetTag("db.query.text", command.CommandText);
            activity.SetTag(SwitchboardDiagnostics.PoolNameTag, connection.Name);
        }

        return activity;
    }

    public static void Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag("error.type", exception.GetType().FullName);
        }
    }
}
