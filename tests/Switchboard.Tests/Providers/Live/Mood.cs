namespace Switchboard.Tests.Providers.Live;

public enum Mood
{
    Calm = 1,
    Cheerful = 2,
    Grumpy = 7,
}
