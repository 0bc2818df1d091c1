using System.Collections.Concurrent;
using PeerLine.Client.E2E;

namespace PeerLine.Tests.E2E;

/// <summary>
/// What one side's application got: every plaintext message handed to it (in order), and the Delivered and
/// NotDelivered reports. <see cref="Hold"/> makes the application sit on the next message without returning, so
/// nothing more is acknowledged (messages stay in flight) until <see cref="Release"/>.
/// </summary>
public sealed class ConversationParty
{
    private readonly ConcurrentQueue<PlaintextMessage> _received = new();
    private volatile TaskCompletionSource? _hold;

    public ConcurrentQueue<Guid> Delivered { get; } = new();
    public ConcurrentQueue<Guid> NotDelivered { get; } = new();

    public IReadOnlyList<string> Texts => _received.Select(m => m.Text).ToList();
    public IReadOnlyList<PlaintextMessage> Messages => _received.ToList();

    /// <summary>The message currently held (handed over, not yet returned from), if any.</summary>
    public string? Holding { get; private set; }

    public async Task OnMessageAsync(PlaintextMessage message)
    {
        if (_hold is { } hold)
        {
            Holding = message.Text;
            await hold.Task;
            Holding = null;
        }
        _received.Enqueue(message);
    }

    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release()
    {
        var hold = _hold;
        _hold = null;
        hold?.TrySetResult();
    }

    public static ConversationParty Of(CallerClient caller)
    {
        var party = new ConversationParty();
        caller.MessageReceived = party.OnMessageAsync;
        caller.Delivered += party.Delivered.Enqueue;
        caller.NotDelivered += party.NotDelivered.Enqueue;
        return party;
    }

    public static ConversationParty Of(SupporterClient supporter)
    {
        var party = new ConversationParty();
        supporter.MessageReceived = party.OnMessageAsync;
        supporter.Delivered += (_, id) => party.Delivered.Enqueue(id);
        supporter.NotDelivered += (_, id) => party.NotDelivered.Enqueue(id);
        return party;
    }

    /// <summary>Unique texts for one test: "{prefix} 1 {run}" … so no two tests (or runs) share a message.</summary>
    public static IReadOnlyList<string> UniqueTexts(string prefix, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        return Enumerable.Range(1, count).Select(i => $"{prefix} {i} {run}").ToList();
    }
}
