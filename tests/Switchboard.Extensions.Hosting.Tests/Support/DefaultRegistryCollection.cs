namespace Switchboard.Extensions.Hosting.Tests.Support;

/// <summary>Tests that use or inspect <see cref="ConnectionRegistry.Default"/>, which is one per process: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultRegistryCollection
{
    public const string Name = "ConnectionRegistry.Default";
}
