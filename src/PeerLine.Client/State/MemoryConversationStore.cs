using System.Collections.Concurrent;

namespace PeerLine.Client.State;

/// <summary>The default store: in this process only, so a restarted client starts over (nothing is written to disk).</summary>
public sealed class MemoryConversationStore : IConversationStore
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    public Task<byte[]?> LoadAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(_entries.TryGetValue(ConversationKeys.Check(key), out var data) ? data.ToArray() : null);

    public Task SaveAsync(string key, byte[] data, CancellationToken ct = default)
    {
        _entries[ConversationKeys.Check(key)] = data.ToArray();
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        _entries.TryRemove(ConversationKeys.Check(key), out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> KeysAsync(string prefix, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>(
            _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList());
}
