namespace Switchboard.Dialects;

/// <summary>Which part of a text a search must match: see <see cref="SqlDialect.OrdinalTextMatch"/>.</summary>
public enum TextMatch
{
    /// <summary>Anywhere (<c>string.Contains</c>).</summary>
    Contains,

    /// <summary>At the start (<c>string.StartsWith</c>).</summary>
    StartsWith,

    /// <summary>At the end (<c>string.EndsWith</c>).</summary>
    EndsWith,
}
