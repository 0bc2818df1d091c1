namespace PeerLine.Client.State;

/// <summary>
/// Where a client keeps its conversation state between restarts: opaque bytes per key (the clients choose the keys
/// and the format). What is stored holds channel keys and message content: keep it where only this user can read it.
/// </summary>
public interface IConversationStore
{
    /// <summary>The bytes last saved under <paramref name="key"/>, or null.</summary>
    Task<byte[]?> LoadAsync(string key, CancellationToken ct = default);

    /// <summary>Replaces what is stored under <paramref name="key"/>; once this returns, a restart finds the new bytes.</summary>
    Task SaveAsync(string key, byte[] data, CancellationToken ct = default);

    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>The keys stored now, those starting with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<string>> KeysAsync(string prefix, CancellationToken ct = default);
}

/// <summary>Keys are file names too: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
public static class ConversationKeys
{
    public static string Check(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 200 || key[0] == '.'
            || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException("A store key is 1-200 characters of [A-Za-z0-9._-], not starting with '.'.", nameof(key));
        return key;
    }
}
