namespace Switchboard;

/// <summary>How a connection fared in a health check.</summary>
public enum HealthStatus
{
    /// <summary>A connection was taken and answered a ping.</summary>
    Healthy,

    /// <summary>Every connection of the pool was in use, so none was pinged; the pool may be too small.</summary>
    Degraded,

    /// <summary>No connection could be opened, or it did not answer.</summary>
    Unhealthy,
}
