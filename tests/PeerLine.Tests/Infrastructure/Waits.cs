namespace PeerLine.Tests.Infrastructure;

public static class Waits
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    /// <summary>Polls a condition until it holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Default);
        while (!await condition())
        {
            if (cts.IsCancellationRequested) Assert.Fail("Timed out waiting" + (because is null ? "" : ": " + because));
            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, because);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);
}
