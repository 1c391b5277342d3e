namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>
/// Everything read from the <c>Switchboard</c> section. New sections (replicas, shards, tenant resolvers) become new
/// members here, each read by its own method of <see cref="SwitchboardConfigurationReader"/>.
/// </summary>
internal sealed record SwitchboardSettings(IReadOnlyList<ConnectionSettings> Connections, string? DefaultConnection);
