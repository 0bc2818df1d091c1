using NSec.Cryptography;
using PeerLine.Client.State;
using PeerLine.Protocol.E2E;

namespace PeerLine.Client.E2E;

/// <summary>
/// Handshakes kept as recipes (<see cref="HandshakeRecipe"/>). A handshake with the same keys writes the same
/// messages, so each reply is tried on a fresh copy of the handshake: a stale reply (meant for an earlier attempt)
/// leaves the attempt under way untouched, and a restarted client carries on with the attempt it had started.
/// </summary>
internal static class Handshakes
{
    /// <summary>The caller's first message of a new handshake with a staff member's static key.</summary>
    public static (HandshakeRecipe Recipe, byte[] Message1) StartAsCaller(string sessionId, Party party, byte[] staffKey, Key episodeKey, int holder)
    {
        var recipe = new HandshakeRecipe { Ephemeral = NewEphemeral(), StaffKey = staffKey, Holder = holder };
        using var channel = CallerCopy(sessionId, party, recipe, episodeKey, out var message1);
        return (recipe, message1);
    }

    /// <summary>
    /// The caller's copy of the handshake reads a reply; established (with message 3 to send) or null when it is not for this attempt.
    /// </summary>
    public static (SecureChannel Channel, byte[] Message3)? FinishAsCaller(
        string sessionId, Party party, HandshakeRecipe recipe, Key episodeKey, byte[] reply, long seq)
    {
        var channel = CallerCopy(sessionId, party, recipe, episodeKey, out _);
        var result = channel.Receive(reply, seq);
        if (result is { Outcome: ChannelOutcome.Handshake, Reply: { } message3 } && channel.IsEstablished) return (channel, message3);
        channel.Dispose();
        return null;
    }

    /// <summary>Staff answer a first message: the recipe and message 2, or null when the message is not for this key.</summary>
    public static (HandshakeRecipe Recipe, byte[] Message2)? AnswerAsStaff(string sessionId, Party party, Key staticKey, byte[] message1, long seq)
    {
        var recipe = new HandshakeRecipe { Ephemeral = NewEphemeral(), Message1 = message1 };
        using var channel = SecureChannel.ForStaff(sessionId, party, staticKey, ImportEphemeral(recipe));
        var result = channel.Receive(message1, seq);
        return result is { Outcome: ChannelOutcome.Handshake, Reply: { } message2 } ? (recipe, message2) : null;
    }

    /// <summary>Staff read the caller's last message on a copy of the handshake: the established channel, or null.</summary>
    public static SecureChannel? FinishAsStaff(string sessionId, Party party, Key staticKey, HandshakeRecipe recipe, byte[] message3, long seq)
    {
        var channel = SecureChannel.ForStaff(sessionId, party, staticKey, ImportEphemeral(recipe));
        if (channel.Receive(recipe.Message1!, seq).Outcome == ChannelOutcome.Handshake
            && channel.Receive(message3, seq).Outcome == ChannelOutcome.Handshake && channel.IsEstablished)
            return channel;
        channel.Dispose();
        return null;
    }

    public static Key NewExportableKey() =>
        Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public static Key ImportKey(byte[] privateKey) =>
        Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    private static SecureChannel CallerCopy(string sessionId, Party party, HandshakeRecipe recipe, Key episodeKey, out byte[] message1)
    {
        var channel = SecureChannel.ForCaller(sessionId, party, recipe.StaffKey!, episodeKey, ImportEphemeral(recipe));
        message1 = channel.Start();
        return channel;
    }

    private static byte[] NewEphemeral()
    {
        using var key = NewExportableKey();
        return key.Export(KeyBlobFormat.RawPrivateKey);
    }

    // A fresh key object each time: the handshake disposes its ephemeral key with itself.
    private static Key ImportEphemeral(HandshakeRecipe recipe) =>
        Key.Import(KeyAgreementAlgorithm.X25519, recipe.Ephemeral, KeyBlobFormat.RawPrivateKey);
}
