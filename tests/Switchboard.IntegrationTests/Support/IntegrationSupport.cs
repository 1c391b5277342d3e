namespace Switchboard.Tests.Support;

/// <summary>The integration suite's own support code lives beside this file.</summary>
internal static class IntegrationSupport
{
    /// <summary>A unique suffix for tables, names and application names of one test run.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..10];
}
