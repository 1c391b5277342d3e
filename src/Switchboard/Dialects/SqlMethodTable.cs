using System.Collections.Concurrent;
using System.Reflection;

namespace Switchboard.Dialects;

/// <summary>
/// The .NET methods and properties a <c>Where</c> predicate may call, each with the <see cref="SqlMethodTranslator"/> that
/// writes it as SQL, keyed by <see cref="MethodInfo"/> (a property by its getter). Switchboard fills it with its own
/// translations; a dialect adds or replaces entries in <see cref="SqlDialect.AddMethodTranslations"/>.
/// </summary>
/// <remarks>
/// A method of a generic type or a generic method is registered once, by its definition (<c>List&lt;T&gt;.Contains</c>,
/// <c>Enumerable.Contains&lt;T&gt;</c>), and found for every type argument.
/// </remarks>
public sealed class SqlMethodTable
{
    private readonly Dictionary<MethodInfo, SqlMethodTranslator> _entries = [];
    private readonly ConcurrentDictionary<MethodInfo, SqlMethodTranslator?> _resolved = new();
    private bool _frozen;

    internal SqlMethodTable()
    {
    }

    /// <summary>Adds the translation of <paramref name="method"/>, replacing any there was.</summary>
    /// <param name="method">The method, or a property's getter (<c>typeof(string).GetProperty("Length")!.GetMethod</c>).</param>
    /// <param name="translator">Writes the call as SQL.</param>
    /// <exception cref="InvalidOperationException">The table is in use already: add entries only in <see cref="SqlDialect.AddMethodTranslations"/>.</exception>
    public void Add(MethodInfo method, SqlMethodTranslator translator)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(translator);
        if (_frozen)
        {
            throw new InvalidOperationException(
                "This method table is in use already. Add translations in an override of SqlDialect.AddMethodTranslations, which runs once before the dialect's first query.");
        }

        _entries[Definition(method)] = translator;
    }

    /// <summary>Whether the table translates <paramref name="method"/> (or the definition it is made from).</summary>
    public bool Contains(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Find(method) is not null;
    }

    internal void Freeze() => _frozen = true;

    /// <summary>The translator of a method as called, or null; found once per method and remembered.</summary>
    internal SqlMethodTranslator? Find(MethodInfo method) =>
        _resolved.GetOrAdd(method, static (m, entries) => entries.GetValueOrDefault(m) ?? entries.GetValueOrDefault(Definition(m)) ?? ByInterface(m, entries), _entries);

    /// <summary>
    /// A method of a type not in the table that implements an interface method that is (a collection's own Contains,
    /// for any <c>ICollection&lt;T&gt;</c> such as <c>ImmutableArray&lt;T&gt;</c>): found by the type's interface map, never by name.
    /// </summary>
    private static SqlMethodTranslator? ByInterface(MethodInfo method, Dictionary<MethodInfo, SqlMethodTranslator> entries)
    {
        if (method.IsStatic || method.DeclaringType is not { IsInterface: false } type)
        {
            return null;
        }

        foreach (var contract in type.GetInterfaces())
        {
            var map = type.GetInterfaceMap(contract);
            var at = Array.IndexOf(map.TargetMethods, method);
            if (at >= 0 && (entries.GetValueOrDefault(map.InterfaceMethods[at]) ?? entries.GetValueOrDefault(Definition(map.InterfaceMethods[at]))) is { } translator)
            {
                return translator;
            }
        }

        return null;
    }

    /// <summary>The method as declared on its generic type definition, as its generic method definition.</summary>
    private static MethodInfo Definition(MethodInfo method)
    {
        if (method.IsGenericMethod && !method.IsGenericMethodDefinition)
        {
            method = method.GetGenericMethodDefinition();
        }

        if (method.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } type)
        {
            const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var declared = method;
            method = Array.Find(type.GetGenericTypeDefinition().GetMethods(All), m => m.HasSameMetadataDefinitionAs(declared)) ?? method;
        }

        return method;
    }
}
