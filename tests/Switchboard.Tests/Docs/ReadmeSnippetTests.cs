using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Switchboard.Tests.Docs;

/// <summary>
/// Every <c>csharp</c> block of the README compiles as written, as the Program.cs of a console project with implicit
/// usings that references Switchboard and its providers (blocks after the first may rely on <c>using Switchboard;</c>,
/// as the README says).
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    private static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading",
        "System.Threading.Tasks", "Switchboard",
    ];

    public static TheoryData<int, string> Snippets()
    {
        var data = new TheoryData<int, string>();
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        foreach (Match match in CSharpBlock().Matches(readme))
        {
            var line = readme.AsSpan(0, match.Index).Count('\n') + 1;
            data.Add(line, match.Groups["code"].Value);
        }

        return data;
    }

    [Fact]
    public void Readme_HasCSharpSnippets() => Assert.True(Snippets().Count >= 2, "The README's csharp blocks were not found.");

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_Compiles(int line, string code)
    {
        var usings = string.Concat(ImplicitUsings.Select(u => $"global using {u};\n"));
        var compilation = CSharpCompilation.Create(
            $"ReadmeSnippet{line}",
            [CSharpSyntaxTree.ParseText(usings, path: "GlobalUsings.cs"), CSharpSyntaxTree.ParseText(code, path: "Program.cs")],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, $"The README's csharp block at line {line} does not compile:\n{string.Join("\n", errors)}");
    }

    private static List<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var ours = Directory.GetFiles(AppContext.BaseDirectory, "Switchboard*.dll")
            .Where(path => !Path.GetFileName(path).StartsWith("Switchboard.Tests", StringComparison.Ordinal));
        return platform.Concat(ours)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
    }

    [GeneratedRegex("^```csharp\\r?\\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();
}
