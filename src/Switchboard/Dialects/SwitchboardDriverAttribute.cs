using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Dialects;

/// <summary>
/// Marks a provider assembly with its driver type, so that the driver's name and aliases in configuration resolve to it,
/// and its keys (<see cref="DatabaseDriver.Options"/>) are accepted. The core reads it from the assemblies already loaded
/// and from the application's assemblies named <c>Switchboard.*</c>; a package named otherwise is found once loaded, or
/// registered explicitly (<see cref="ConnectionRegistry.RegisterDriver"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class SwitchboardDriverAttribute : Attribute
{
    /// <summary>Names the driver type, a <see cref="DatabaseDriver"/> with a parameterless constructor (it may be internal).</summary>
    public SwitchboardDriverAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.NonPublicConstructors)] Type driverType)
    {
        DriverType = driverType;
    }

    /// <summary>The driver type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.NonPublicConstructors)]
    public Type DriverType { get; }
}
