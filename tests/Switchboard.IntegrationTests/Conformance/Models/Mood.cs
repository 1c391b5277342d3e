namespace Switchboard.IntegrationTests.Conformance.Models;

public enum Mood
{
    Calm = 1,
    Cheerful = 2,
    Grumpy = 7,
}
