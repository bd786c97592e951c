namespace Ratify.Connectors.Tests.Support;

/// <summary>Gives each test a token that cancels after 30 seconds, passed to every async call.</summary>
public abstract class TimedTest : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    protected CancellationToken Timeout => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }
}
