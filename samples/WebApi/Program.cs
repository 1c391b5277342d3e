using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Switchboard;
using WebApi;

var builder = WebApplication.CreateBuilder(args);

// PostgreSQL joins as "analytics" when appsettings names it, or when the test server's URL is set.
if (!builder.Configuration.GetSection("Switchboard:Connections:" + Visits.Connection).Exists()
    && Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES") is { Length: > 0 } postgres)
{
    builder.Configuration.AddInMemoryCollection([new("Switchboard:Connections:" + Visits.Connection, postgres)]);
}

// Connections from appsettings.json (overridable by Switchboard__Connections__main__database=...), one registry for the app.
builder.Services.AddSwitchboard(builder.Configuration.GetSection("Switchboard"), o => o.InitializeOnStart = true);
builder.Services.AddHealthChecks().AddSwitchboard();
var telemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(m => m.AddSwitchboardInstrumentation())
    // The request's own span ("Microsoft.AspNetCore", or OpenTelemetry.Instrumentation.AspNetCore): without it the
    // request's activity is not recorded, and the parent-based sampler drops every statement span under it.
    .WithTracing(t => t.AddSource("Microsoft.AspNetCore").AddSwitchboardInstrumentation());
if (builder.Configuration.GetValue("Telemetry:Console", defaultValue: true))
{
    telemetry.WithMetrics(m => m.AddConsoleExporter()).WithTracing(t => t.AddConsoleExporter());
}

var app = builder.Build();

var registry = app.Services.GetRequiredService<ConnectionRegistry>();
registry.GetConnection("main").Execute(Note.CreateTable);
if (registry.IsConfigured(Visits.Connection))
{
    registry.GetConnection(Visits.Connection).Execute(Visits.CreateTable);
}

// Per-request causal token in a cookie: with replicas, a browser reads its own writes on the next request, whichever
// instance serves it. On SQLite alone (no replicas) it sends no cookie.
app.UseCausalCookie();

app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

app.MapGet("/notes", async (CancellationToken cancellationToken) => await Note.OrderBy(n => n.Id).AllAsync(cancellationToken));

app.MapPost("/notes", async (NoteRequest request, CancellationToken cancellationToken) =>
{
    if (string.IsNullOrWhiteSpace(request.Text))
    {
        return Results.BadRequest(new { error = "text is required: send {\"text\": \"...\"}." });
    }

    var note = new Note { Text = request.Text };
    await note.SaveAsync(cancellationToken);
    return Results.Created($"/notes/{note.Id}", note);
});

app.MapGet("/notes/{id:long}", async (long id, CancellationToken cancellationToken) =>
    await Note.FindOrDefaultAsync(id, cancellationToken) is { } note ? Results.Ok(note) : Results.NotFound());

app.MapPost("/visits/{page}", async (string page, ConnectionRegistry registry, CancellationToken cancellationToken) =>
    registry.IsConfigured(Visits.Connection)
        ? Results.Ok(new { page, count = await Visits.CountAsync(registry, page, cancellationToken) })
        : Results.Problem($"No '{Visits.Connection}' connection: set Switchboard:Connections:{Visits.Connection} (or SWITCHBOARD_TEST_POSTGRES).", statusCode: 503));

app.MapGet("/engines", (ConnectionRegistry registry) =>
    registry.Names.Select(name => new { name, driver = registry.GetConnection(name).Driver }));

app.Run();

/// <summary>The application, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
