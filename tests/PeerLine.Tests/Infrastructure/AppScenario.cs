namespace PeerLine.Tests.Infrastructure;

/// <summary>A test class that runs its scenarios against one fresh <see cref="PeerLineApp"/>, disposed at the end.</summary>
public abstract class AppScenario(PeerLineApp? app = null) : IAsyncLifetime
{
    protected PeerLineApp App { get; } = app ?? new PeerLineApp();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
