namespace WebApi;

/// <summary>The body of <c>POST /notes</c>.</summary>
/// <param name="Text">What the note says.</param>
public sealed record NoteRequest(string? Text);
