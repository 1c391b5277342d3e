using System.Text.Json;

namespace Switchboard.Cli.Tests.Support;

/// <summary>A folder of the test's own, with an appsettings.json written from a connections object.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "switchboard-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <c>{"Switchboard": {"Connections": connections}}</c> to the file and returns its path.</summary>
    public string WriteConfig(object connections, string name = "appsettings.json")
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, JsonSerializer.Serialize(new { Switchboard = new { Connections = connections } }));
        return path;
    }

    /// <summary>An empty SQLite file, so that the tool (which never creates one) will open it.</summary>
    public string EmptyDatabase(string name = "main.db")
    {
        System.IO.File.WriteAllBytes(File(name), []);
        return name;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
