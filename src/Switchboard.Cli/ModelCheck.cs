using System.Reflection;
using System.Runtime.Loader;

namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard check --models app.dll</c>: loads an assembly, finds its models, and runs VerifyModels for each one
/// on its connection (<c>[Connection]</c>), or on every configured connection when it names none.
/// </summary>
internal static class ModelCheck
{
    /// <summary>Prints every problem found (one line each) and returns the error lines, which make the check fail.</summary>
    public static async Task<List<string>> RunAsync(ConnectionRegistry registry, string assemblyPath, Terminal terminal, CancellationToken cancellationToken)
    {
        var models = LoadModels(assemblyPath);
        var errors = new List<string>();
        if (models.Count == 0)
        {
            errors.Add($"The assembly {Path.GetFileName(assemblyPath)} holds no models (classes deriving from ActiveRecord<T>). Pass the assembly that declares them.");
            return errors;
        }

        var checkedCount = 0;
        foreach (var group in models.GroupBy(m => m.GetCustomAttribute<ConnectionAttribute>(inherit: true)?.Name))
        {
            var names = group.Key is { } bound ? [bound] : registry.Names.ToList();
            foreach (var name in names)
            {
                if (!registry.IsConfigured(name))
                {
                    errors.Add($"Models {string.Join(", ", group.Select(m => m.Name))} use connection '{name}', which is not configured (or was refused above). Add it under Switchboard:Connections.");
                    continue;
                }

                try
                {
                    var report = await registry.VerifyModelsAsync(name, group, cancellationToken).ConfigureAwait(false);
                    checkedCount += group.Count();
                    foreach (var problem in report.Problems)
                    {
                        terminal.Output.WriteLine(problem.ToString());
                        if (problem.IsError)
                        {
                            errors.Add($"{problem.Model.Name}{(problem.Property is null ? "" : "." + problem.Property)} does not fit its table on '{name}'.");
                        }
                    }
                }
                catch (SwitchboardException exception)
                {
                    errors.Add($"Could not read the schema of '{name}': {exception.Message}");
                }
            }
        }

        terminal.Output.WriteLine($"Checked {checkedCount} model mappings from {Path.GetFileName(assemblyPath)}: {errors.Count} errors.");
        return errors;
    }

    private static List<Type> LoadModels(string assemblyPath)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path))
        {
            throw CliException.Usage($"The models assembly {assemblyPath} does not exist. Pass the path of the built .dll that declares the models.");
        }

        // Its own dependencies come from beside it; Switchboard itself is the tool's, so that ActiveRecord<T> is one type.
        var resolver = new AssemblyDependencyResolver(path);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } found ? context.LoadFromAssemblyPath(found) : null;
        Assembly assembly;
        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException)
        {
            throw CliException.Usage($"{assemblyPath} is not a .NET assembly. Pass the built .dll that declares the models.");
        }

        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            types = partial.Types;
        }

        return [.. types.OfType<Type>().Where(IsModel).OrderBy(t => t.FullName, StringComparer.Ordinal)];
    }

    private static bool IsModel(Type type)
    {
        if (type is not { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
        {
            return false;
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(ActiveRecord<>))
            {
                return current.GetGenericArguments()[0] == type;
            }
        }

        return false;
    }
}
